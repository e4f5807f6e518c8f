"""The demo data set's events: forums, workshops, visits and meetings before and after today,
published, draft and cancelled, in Türkiye, Sweden and Lebanon. Hosts and the contacts invited
first are organisation keys of `data.ORGANISATIONS`.

Dates of events are days relative to the day the demo is first loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str
    level: str
    status: str
    timezone: str
    #: days from the day the demo is loaded, and local start/end times ("HH:MM")
    day: int
    starts: str
    ends: str
    #: extra days the event lasts (0: ends the same day)
    extra_days: int = 0
    venue: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    online_url: str | None = None
    capacity: int | None = None
    languages: tuple[str, ...] = ("tr",)
    host: str | None = None
    description: str = ""
    #: how many contacts are invited (answers and check-ins follow from the day)
    invite: int = 0
    is_public: bool = False
    #: organisation keys whose contacts are invited first
    focus: tuple[str, ...] = field(default_factory=tuple)
    #: kept under way on the day the demo is (re)loaded, for trying the scanner at once
    #: (`day`, `starts` and `ends` then only say roughly when: see demo.today)
    under_way: bool = False


EVENTS = (
    DemoEvent(
        "Inclusive Municipal Services Forum",
        "forum",
        "regional",
        "published",
        "Europe/Istanbul",
        0,
        "09:00",
        "18:00",
        venue="Çukurova Kongre Merkezi",
        address="Reşatbey Mah., Türkkuşu Cd., Seyhan",
        city="Adana",
        country="TR",
        capacity=12,
        languages=("tr", "ar"),
        host="CBB",
        invite=24,
        focus=("SARICAM",),
        description="Bugün: belediye hizmetlerine erişimde mülteciler ve ev sahibi topluluklar. "
        "Kapıdaki tarayıcıyı hemen deneyebilirsiniz.",
        under_way=True,
    ),
    DemoEvent(
        "Local Governance and Migration Meeting",
        "forum",
        "national",
        "published",
        "Europe/Istanbul",
        21,
        "10:00",
        "17:30",
        venue="Haliç Kongre Merkezi",
        address="Sütlüce Mah., Karaağaç Cd. No:1, 34445 Beyoğlu",
        city="İstanbul",
        country="TR",
        capacity=150,
        languages=("tr", "ar", "en"),
        host="MBB",
        invite=24,
        is_public=True,
        focus=("SULTANBEYLI", "ZEYTINBURNU", "SISLI", "STDD"),
        description="Belediyeler, sivil toplum ve mülteci toplulukları yerel yönetişimde "
        "göçü birlikte ele alıyor. Türkçe, Arapça ve İngilizce tercüme sağlanacaktır.",
    ),
    DemoEvent(
        "We Evaluate Our Resilience",
        "workshop",
        "national",
        "published",
        "Europe/Istanbul",
        -30,
        "09:30",
        "17:00",
        extra_days=1,
        venue="TBB Konferans Salonu",
        address="Mithatpaşa Cd. No:18, Kızılay, Çankaya",
        city="Ankara",
        country="TR",
        capacity=40,
        languages=("tr", "en"),
        host="TBB",
        invite=22,
        description="Two-day workshop: the pilot municipalities assess their resilience "
        "with the RESLOG self-assessment tool and agree on next steps.",
    ),
    DemoEvent(
        "Peer-to-Peer Visit to Botkyrka",
        "peer_visit",
        "international",
        "published",
        "Europe/Stockholm",
        45,
        "09:00",
        "16:00",
        extra_days=2,
        venue="Botkyrka kommunhus",
        address="Munkhättevägen 45, 147 85 Tumba",
        city="Tumba",
        country="SE",
        capacity=20,
        languages=("en", "sv", "tr"),
        host="SKLI",
        invite=12,
        focus=("BOTKYRKA", "SKR", "SKLI", "REYHANLI", "MEZITLI", "SARICAM"),
        description="Mayors and experts visit Botkyrka's introduction services for "
        "newcomers and its citizens' dialogue.",
    ),
    DemoEvent(
        "Roundtable: Municipal Services for Refugees in Hatay",
        "roundtable",
        "regional",
        "published",
        "Europe/Istanbul",
        -60,
        "10:00",
        "15:00",
        venue="Reyhanlı Belediyesi Meclis Salonu",
        city="Reyhanlı",
        country="TR",
        capacity=30,
        languages=("tr", "ar"),
        host="CBB",
        invite=16,
        focus=("HATAY-BB", "REYHANLI", "STDD"),
    ),
    DemoEvent(
        "Training: Participatory Planning with Refugee Communities",
        "training",
        "regional",
        "published",
        "Europe/Istanbul",
        -14,
        "09:30",
        "16:30",
        venue="Seyhan Kültür Merkezi",
        city="Adana",
        country="TR",
        capacity=35,
        languages=("tr", "ar"),
        host="CBB",
        invite=18,
        focus=("ADANA-BB", "SARICAM", "SEYHAN", "STDD"),
    ),
    DemoEvent(
        "RESLOG Steering Committee Meeting",
        "meeting",
        "national",
        "published",
        "Europe/Istanbul",
        -90,
        "14:00",
        "16:30",
        venue="TBB Genel Merkezi",
        city="Ankara",
        country="TR",
        online_url="https://meet.reslog.example/steering",
        languages=("tr", "en"),
        host="TBB",
        invite=9,
        focus=("TBB", "MBB", "CBB", "SKLI"),
    ),
    DemoEvent(
        "Beirut Exchange on Local Resilience",
        "forum",
        "international",
        "published",
        "Asia/Beirut",
        -120,
        "09:00",
        "17:00",
        venue="Hotel Monroe Conference Centre",
        city="Beirut",
        country="LB",
        capacity=60,
        languages=("ar", "en", "tr"),
        host="UTM",
        invite=14,
        focus=("UTM", "TYRE", "HATAY-BB", "SKLI"),
    ),
    DemoEvent(
        "Study Visit: Şişli Migrant Service Centre",
        "study_visit",
        "local",
        "published",
        "Europe/Istanbul",
        -45,
        "10:00",
        "13:00",
        venue="Şişli Göçmen Hizmet Merkezi",
        city="İstanbul",
        country="TR",
        capacity=25,
        host="MBB",
        invite=10,
        focus=("SISLI", "ORHANGAZI", "OSMANGAZI"),
    ),
    DemoEvent(
        "Peer-to-Peer Visit: Tyre to Sultanbeyli",
        "peer_visit",
        "international",
        "published",
        "Europe/Istanbul",
        -75,
        "09:30",
        "17:00",
        extra_days=1,
        venue="Sultanbeyli Belediyesi",
        city="İstanbul",
        country="TR",
        capacity=15,
        languages=("ar", "tr"),
        host="MBB",
        invite=8,
        focus=("TYRE", "UTM", "SULTANBEYLI"),
    ),
    DemoEvent(
        "Roundtable on Local Economic Inclusion",
        "roundtable",
        "regional",
        "published",
        "Europe/Istanbul",
        10,
        "10:00",
        "13:00",
        venue="Bursa Büyükşehir Belediyesi",
        city="Bursa",
        country="TR",
        capacity=30,
        host="MBB",
        invite=10,
        focus=("BURSA-BB", "ORHANGAZI", "OSMANGAZI", "HDD"),
    ),
    DemoEvent(
        "Workshop: Resilience Action Plans",
        "workshop",
        "regional",
        "published",
        "Europe/Istanbul",
        28,
        "09:30",
        "17:00",
        extra_days=1,
        venue="Osmangazi Belediyesi Kültür Merkezi",
        city="Bursa",
        country="TR",
        capacity=40,
        languages=("tr",),
        host="MBB",
    ),
    DemoEvent(
        "Study Visit: Social Cohesion Centre in Mezitli",
        "study_visit",
        "regional",
        "draft",
        "Europe/Istanbul",
        30,
        "10:00",
        "15:00",
        venue="Mezitli Sosyal Uyum Merkezi",
        city="Mersin",
        country="TR",
        capacity=20,
        languages=("tr", "ar"),
        host="CBB",
    ),
    DemoEvent(
        "Online Training: Data for Migration-Responsive Services",
        "training",
        "national",
        "draft",
        "Europe/Istanbul",
        60,
        "10:00",
        "12:30",
        online_url="https://meet.reslog.example/data-training",
        languages=("tr", "en"),
        host="TBB",
    ),
    DemoEvent(
        "Coordination Meeting with SALAR",
        "meeting",
        "international",
        "cancelled",
        "Europe/Stockholm",
        5,
        "13:00",
        "15:00",
        online_url="https://meet.reslog.example/salar",
        languages=("en",),
        host="SKR",
        invite=5,
        focus=("SKR", "SKLI", "TBB"),
    ),
)
