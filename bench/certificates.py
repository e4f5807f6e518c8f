"""Benchmark of the certificate of attendance: CPU time of one PDF, in Turkish and in Arabic.

    .venv/bin/python -m bench.certificates                 # 40 certificates per language
    .venv/bin/python -m bench.certificates --count 200

Renders certificates with distinct names and verification links through
`reslog_events.certificates.pdf.render_certificate` (fpdf2, HarfBuzz shaping, the vendored fonts),
in an app on a throw-away SQLite database, and prints Markdown: CPU time of this thread per
certificate (steady on a shared, busy machine) and wall time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

PEOPLE = {
    "tr": ("Ayşe Yılmaz", "Şişli Belediyesi"),
    "ar": ("محمد العلي", "Reyhanlı Belediyesi"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()

    from flask_babel import force_locale

    from reslog_events import create_app
    from reslog_events.certificates.pdf import CertificateText, render_certificate

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "b"})
    print("| language | certificates | CPU median ms | CPU mean ms | wall median ms |")
    print("|---|---|---|---|---|")
    with app.test_request_context():
        for language, (name, organisation) in PEOPLE.items():
            cpu, wall = [], []
            with force_locale(language):
                for i in range(args.count + 1):
                    text = CertificateText(
                        full_name=f"{name} {i}",
                        organisation=organisation,
                        event_title="Şehir Dayanıklılığı Çalıştayı",
                        place="Kültür Merkezi, İstanbul",
                        days=[date(2031, 10, 14), date(2031, 10, 15)],
                        verify_url=f"https://events.example/verify/{i:016d}",
                        language=language,
                    )
                    started, cpu_started = time.perf_counter(), time.thread_time()
                    render_certificate(text)
                    if i:  # the first one warms the imports
                        cpu.append(time.thread_time() - cpu_started)
                        wall.append(time.perf_counter() - started)
            print(
                f"| {language} | {args.count} | {statistics.median(cpu) * 1000:.0f} | "
                f"{statistics.mean(cpu) * 1000:.0f} | {statistics.median(wall) * 1000:.0f} |"
            )


if __name__ == "__main__":
    main()
