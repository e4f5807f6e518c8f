"""The answers export names each invitee's language in the reader's language ("Türkçe",
"Arapça"), as it already named the interpretation language, instead of the code "tr"."""

from __future__ import annotations

import csv
import io


def test_answers_csv_names_languages(client, auth, create_event, create_contact, create_invitation):
    event = create_event()
    create_invitation(event=event, contact=create_contact(full_name="Halil Yavuz", language="ar"))
    create_invitation(event=event, contact=create_contact(full_name="Ayşe Çelik", language="tr"))
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/answers.csv?lang=tr")
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    column = rows[0].index("Dil")
    by_name = {row[0]: row[column] for row in rows[1:]}
    assert by_name == {"Halil Yavuz": "Arapça", "Ayşe Çelik": "Türkçe"}
