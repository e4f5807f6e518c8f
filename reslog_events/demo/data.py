"""The demo data set: RESLOG's unions and pilot municipalities, partners in Sweden and Lebanon,
NGOs, people of every role and language, and events before and after today.

Names of people are invented; addresses use the reserved `.example` domain, phone numbers are
unassigned. Dates of events are days relative to the day the demo is first loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "reslog-demo"  # noqa: S105 - published in the README for trials

#: (email, role, name, interface language)
USERS = (
    ("admin@reslog.example", "admin", "Selin Aydemir", "tr"),
    ("organiser@reslog.example", "organiser", "Emre Kaplan", "tr"),
    ("staff@reslog.example", "staff", "Gizem Yurt", "tr"),
    ("coordinator@reslog.example", "coordinator", "Karin Holm", "en"),
)


@dataclass(frozen=True)
class Org:
    key: str  #: short code, also the key contacts and events refer to
    name: str
    kind: str
    country: str = "TR"
    province: str | None = None
    district: str | None = None
    unions: tuple[str, ...] = ()


UNION, MUN, NGO, PUBLIC = "union", "municipality", "ngo", "public_institution"
IN_MBB, IN_CBB = ("TBB", "MBB"), ("TBB", "CBB")

ORGANISATIONS = (
    # Unions of municipalities
    Org("TBB", "Türkiye Belediyeler Birliği", UNION, "TR", "Ankara", "Çankaya"),
    Org("MBB", "Marmara Belediyeler Birliği", UNION, "TR", "İstanbul", "Fatih"),
    Org("CBB", "Çukurova Belediyeler Birliği", UNION, "TR", "Adana", "Seyhan"),
    Org("SKR", "Sveriges Kommuner och Regioner (SALAR)", UNION, "SE", "Stockholms län"),
    Org("UTM", "Union of Tyre Municipalities", UNION, "LB", "Al Janūb", "Tyre"),
    # The twelve RESLOG pilot municipalities
    Org("SULTANBEYLI", "Sultanbeyli Belediyesi", MUN, "TR", "İstanbul", "Sultanbeyli", IN_MBB),
    Org("ZEYTINBURNU", "Zeytinburnu Belediyesi", MUN, "TR", "İstanbul", "Zeytinburnu", IN_MBB),
    Org("SISLI", "Şişli Belediyesi", MUN, "TR", "İstanbul", "Şişli", IN_MBB),
    Org("BURSA-BB", "Bursa Büyükşehir Belediyesi", MUN, "TR", "Bursa", None, IN_MBB),
    Org("ORHANGAZI", "Orhangazi Belediyesi", MUN, "TR", "Bursa", "Orhangazi", IN_MBB),
    Org("OSMANGAZI", "Osmangazi Belediyesi", MUN, "TR", "Bursa", "Osmangazi", IN_MBB),
    Org("ADANA-BB", "Adana Büyükşehir Belediyesi", MUN, "TR", "Adana", None, IN_CBB),
    Org("SARICAM", "Sarıçam Belediyesi", MUN, "TR", "Adana", "Sarıçam", IN_CBB),
    Org("SEYHAN", "Seyhan Belediyesi", MUN, "TR", "Adana", "Seyhan", IN_CBB),
    Org("HATAY-BB", "Hatay Büyükşehir Belediyesi", MUN, "TR", "Hatay", None, IN_CBB),
    Org("REYHANLI", "Reyhanlı Belediyesi", MUN, "TR", "Hatay", "Reyhanlı", IN_CBB),
    Org("MEZITLI", "Mezitli Belediyesi", MUN, "TR", "Mersin", "Mezitli", IN_CBB),
    # Partners abroad
    Org("BOTKYRKA", "Botkyrka kommun", MUN, "SE", "Stockholms län", "Botkyrka", ("SKR",)),
    Org("TYRE", "Tyre Municipality", MUN, "LB", "Al Janūb", "Tyre", ("UTM",)),
    Org("SKLI", "SKL International", "international", "SE", "Stockholms län", "Stockholm"),
    # Civil society (a refugee-community association among them), institutions, academia
    Org("STDD", "Suriyeli Topluluk Dayanışma Derneği", NGO, "TR", "İstanbul", "Sultanbeyli"),
    Org("HDD", "Hayata Destek Derneği", NGO, "TR", "İstanbul", "Beşiktaş"),
    Org("GAR", "Göç Araştırmaları Derneği", NGO, "TR", "İstanbul", "Beyoğlu"),
    Org("PMM", "Göç İdaresi Başkanlığı", PUBLIC, "TR", "Ankara", "Çankaya"),
    Org(
        "HUGO",
        "Hacettepe Üniversitesi Göç ve Siyaset Araştırmaları Merkezi",
        PUBLIC,
        "TR",
        "Ankara",
        "Çankaya",
    ),
)

#: the twelve RESLOG pilot municipalities: the results' pilot list
PILOT_MUNICIPALITIES = (
    "SULTANBEYLI",
    "ZEYTINBURNU",
    "SISLI",
    "BURSA-BB",
    "ORHANGAZI",
    "OSMANGAZI",
    "ADANA-BB",
    "SARICAM",
    "SEYHAN",
    "HATAY-BB",
    "REYHANLI",
    "MEZITLI",
)
#: the programme's targets for a calendar year, per results indicator
YEAR_TARGETS = {
    "pilot_municipalities": 12,
    "share_women": 45,
    "share_refugee_community": 15,
    "repeat_participants": 40,
    "unions_reached": 3,
    "provinces_reached": 6,
}

ELECTED, STAFF, CIVIL, REFUGEE = (
    "elected_official",
    "municipal_staff",
    "civil_society",
    ("refugee_community"),
)
ACADEMIC, PARTNER, OTHER = "academic", "international_partner", "other"
F, M = "female", "male"

#: (full name, organisation key, position, role category, gender, language[, email name]).
#: The address is <email name>@<organisation key>.example; the email name defaults to the
#: accent-free name ("Ayşe Çelik" → ayse.celik).
CONTACTS = (
    ("Hüseyin Keskin", "SULTANBEYLI", "Belediye Başkan Yardımcısı", ELECTED, M, "tr"),
    ("Elif Şahin", "SULTANBEYLI", "Göç Ofisi Müdürü", STAFF, F, "tr"),
    ("Murat Aydın", "ZEYTINBURNU", "Meclis Üyesi", ELECTED, M, "tr"),
    ("Zeynep Kaya", "ZEYTINBURNU", "Sosyal Hizmet Uzmanı", STAFF, F, "tr"),
    ("Ayşe Çelik", "SISLI", "Belediye Başkan Yardımcısı", ELECTED, F, "tr"),
    ("İbrahim Öztürk", "SISLI", "Strateji Geliştirme Uzmanı", STAFF, M, "en"),
    ("Gülşen Arslan", "BURSA-BB", "Dış İlişkiler Şube Müdürü", STAFF, F, "en"),
    ("Mehmet Doğan", "BURSA-BB", "Meclis Üyesi", ELECTED, M, "tr"),
    ("Serkan Yıldız", "ORHANGAZI", "Sosyal Destek Birimi Sorumlusu", STAFF, M, "tr"),
    ("Hatice Koç", "OSMANGAZI", "Sosyal Uyum Koordinatörü", STAFF, F, "tr"),
    ("Kemal Özdemir", "ADANA-BB", "Genel Sekreter Yardımcısı", STAFF, M, "tr"),
    ("Fatma Aksoy", "ADANA-BB", "Meclis Üyesi", ELECTED, F, "tr"),
    ("Ömer Polat", "SARICAM", "Başkan Danışmanı", STAFF, M, "tr"),
    ("Derya Güneş", "SEYHAN", "Göç Masası Sorumlusu", STAFF, F, "tr"),
    ("Ramazan Kılıç", "HATAY-BB", "Meclis Üyesi", ELECTED, M, "tr"),
    ("Nur Erdem", "HATAY-BB", "Afet ve Dayanıklılık Uzmanı", STAFF, F, "en"),
    ("Halil Yavuz", "REYHANLI", "Tercüman ve Saha Görevlisi", STAFF, M, "ar"),
    ("Sevgi Tekin", "MEZITLI", "Meclis Üyesi", ELECTED, F, "tr"),
    ("Burak Ersoy", "TBB", "RESLOG Proje Koordinatörü", STAFF, M, "tr"),
    ("Cansu Demir", "MBB", "Uluslararası İlişkiler Uzmanı", STAFF, F, "en"),
    ("Tolga Şimşek", "CBB", "Genel Sekreter", STAFF, M, "tr"),
    ("Anna Lindqvist", "SKR", "Internationell rådgivare", PARTNER, F, "sv"),
    ("Erik Johansson", "SKR", "Senior Advisor, Local Democracy", PARTNER, M, "en"),
    ("Sara Nilsson", "BOTKYRKA", "Integrationsstrateg", PARTNER, F, "sv"),
    ("Johan Berg", "BOTKYRKA", "Kommunalråd", ELECTED, M, "sv"),
    ("Amina Hassan", "BOTKYRKA", "Samhällsvägledare", STAFF, F, "sv"),
    ("Maria Andersson", "SKLI", "RESLOG Programme Manager", PARTNER, F, "en"),
    ("Lars Eriksson", "SKLI", "Programhandläggare", PARTNER, M, "sv"),
    ("رامي حيدر", "UTM", "رئيس المكتب الفني الإقليمي", PARTNER, M, "ar", "rami.haidar"),
    ("Layla Mansour", "UTM", "Social Development Officer", PARTNER, F, "en"),
    ("خليل سعد", "TYRE", "عضو المجلس البلدي", ELECTED, M, "ar", "khalil.saad"),
    ("محمد الأحمد", "STDD", "رئيس الجمعية", REFUGEE, M, "ar", "mohammad.alahmad"),
    ("Rasha Haddad", "STDD", "Kadın Komitesi Sorumlusu", REFUGEE, F, "ar"),
    ("Yusuf Hamdan", "STDD", "Gençlik Gönüllüsü", REFUGEE, M, "tr"),
    ("Nour Al-Hussein", "STDD", "Community Outreach", REFUGEE, F, "en"),
    ("Deniz Yılmaz", "HDD", "Koruma Programı Sorumlusu", CIVIL, "other", "tr"),
    ("Ece Karaca", "HDD", "Advocacy Officer", CIVIL, F, "en"),
    ("Onur Başaran", "GAR", "Yönetim Kurulu Üyesi", CIVIL, "undisclosed", "tr"),
    ("Ahmet Uçar", "PMM", "Uyum Uzmanı", OTHER, M, "tr"),
    ("Can Erdoğan", "HUGO", "Profesör, Merkez Müdürü", ACADEMIC, M, "tr"),
    ("Merve Kalkan", "HUGO", "Araştırmacı", ACADEMIC, F, "en"),
    ("Leyla Sarı", None, "Serbest tercüman (Arapça–Türkçe)", OTHER, F, "ar"),
)


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
