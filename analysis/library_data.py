"""The built-in theme library: common findings about neighbourhoods (nærmiljø), libraries and
citizen service centres. Keywords are lemmas; a trailing * matches any word that starts with it.

Kept as Python rather than JSON so that it ships with the package without package-data settings.
"""

THEMES = [
    {
        "key": "naerhet_tjenester",
        "labels": {
            "nb": "nærhet til tjenester",
            "nn": "nærleik til tenester",
            "en": "services close by",
        },
        "description": (
            "Det meste man trenger i hverdagen ligger i nærheten: butikk, lege, apotek, bank,"
            " post, skole, barnehage, bibliotek og rådhus i gangavstand."
        ),
        "keywords": [
            "nærhet", "nærleik", "nærme", "nær", "gangavstand", "avstand", "kort vei",
            "butikk*", "apotek*", "bank", "lege*", "legekontor", "helsestasjon*",
            "helsesenter*", "tannlege*", "post", "postkontor", "rådhus*", "servicetorg*",
            "innbyggertorg*", "tjeneste*", "teneste*", "dagligvare*", "matbutikk*", "coop",
            "kiwi", "rema", "senter", "kjøpesenter*", "fysioterapeut*", "barnehage*", "skole",
            "sentral*", "close", "shop*", "store", "pharmacy", "doctor", "nearby", "services",
            "everything",
        ],
        "examples": [
            "Alt er i gåavstand: butikk, lege og apotek", "Kort vei til skole og barnehage",
            "Jeg trenger ikke bil, alt ligger nært", "Everything is close by",
        ],
    },
    {
        "key": "natur_friluft",
        "labels": {
            "nb": "natur og turstier",
            "nn": "natur og turstiar",
            "en": "nature and trails",
        },
        "description": (
            "Skog, mark, sjø, fjord, elv og innsjø; turstier, lysløyper, badeplasser, fiske "
            "og friluftsliv."
        ),
        "keywords": [
            "natur*", "skog*", "mark", "marka", "tur", "tursti*", "turvei*", "sti", "stier",
            "løype*", "lysløype*", "skiløype*", "ski", "fjell*", "sjø", "sjøen", "fjord*",
            "elv*", "elva", "bekk*", "innsjø*", "vann", "vatn", "strand*", "bad", "bade*",
            "badeplass*", "brygge*", "fiske*", "padle*", "padling", "seile*", "båt*",
            "friluft*", "utsikt*", "park*", "grøntområde*", "hage", "blomst*", "fugl*", "dyr",
            "gård*", "kulturlandskap*", "landskap*", "sol", "frisk luft", "turområde*",
            "gapahuk*", "bål*", "nature", "forest", "trail*", "hike", "hiking", "river", "lake",
            "beach", "walk", "woods", "outdoor*", "swim*",
        ],
        "examples": [
            "Turstiene i skogen rett ved huset", "Badeplassen ved fjorden om sommeren",
            "Lysløypa og marka", "I love the forest and the lake",
        ],
    },
    {
        "key": "moteplass_fellesskap",
        "labels": {
            "nb": "møteplass og fellesskap",
            "nn": "møteplass og fellesskap",
            "en": "meeting places and community",
        },
        "description": (
            "Steder å treffe andre, naboskap, venner, dugnad, frivillighet, lag og "
            "foreninger, et samlingssted eller storstue for bygda."
        ),
        "keywords": [
            "møteplass*", "møtestad*", "møte", "møtes", "treffe*", "treff*", "samlingssted*",
            "samle*", "storstue*", "fellesskap*", "felles", "nabo*", "naboskap*", "venn*",
            "venne", "gjeng", "folk", "menneske*", "sosial*", "inkludering*", "inkluderande",
            "dugnad*", "frivillig*", "frivilligsentral*", "forening*", "foreining*", "lag",
            "lokale*", "samfunnshus*", "grendehus*", "ensom*", "einsam*", "prate", "prat",
            "slå av en prat", "bli kjent", "hverandre", "kvarandre", "studentliv*", "community",
            "neighbour*", "neighbor*", "friend*", "people", "meet", "meeting", "together",
            "lonely", "social*",
        ],
        "examples": [
            "Et sted å møte naboer og bli kjent", "Fellesskapet og dugnadsånden",
            "Møteplass for eldre som er ensomme", "A place to meet new people",
        ],
    },
    {
        "key": "kafe_mat",
        "labels": {
            "nb": "kafé og mat",
            "nn": "kafé og mat",
            "en": "café and food",
        },
        "description": (
            "Kafé, kaffe, kantine, servering og mat; et sted å sitte med en kopp kaffe."
        ),
        "keywords": [
            "kafé*", "kafe*", "kaffe*", "kaffi*", "kantine*", "servering*", "mat",
            "matservering*", "spise*", "lunsj*", "middag*", "vaffel*", "vafler", "kake*",
            "bakeri*", "restaurant*", "pizza*", "kopp", "te", "kiosk*", "café", "cafe",
            "coffee", "food", "eat*", "lunch", "tea", "restaurant",
        ],
        "examples": [
            "En koselig kafé med god kaffe", "Kantine med billig lunsj",
            "Vafler og kaffe på lørdager", "A nice café with coffee",
        ],
    },
    {
        "key": "studieplass_stillerom",
        "labels": {
            "nb": "stillerom og studieplasser",
            "nn": "stillerom og studieplassar",
            "en": "quiet rooms and study spaces",
        },
        "description": (
            "Rolige steder å lese, studere og jobbe: stillerom, lesesal, studieplasser, "
            "grupperom, kontorplass og arbeidsplass med strøm og nett."
        ),
        "keywords": [
            "stillerom*", "stille", "stillhet*", "stillesone*", "lesesal*", "studieplass*",
            "studie*", "studere*", "student*", "eksamen*", "lese", "lesing", "lesesone*",
            "grupperom*", "arbeidsplass*", "kontorplass*", "hjemmekontor*", "jobbe", "kontor*",
            "skrivebord*", "pult*", "stikkontakt*", "lading", "konsentrere*", "konsentrasjon",
            "quiet", "silent", "silence", "study", "studying", "desk*", "exam*", "focus",
            "work",
        ],
        "examples": [
            "Et stillerom for lesing", "Lesesal med studieplasser og stikkontakter",
            "Grupperom studentene kan booke", "A quiet place to study",
        ],
    },
    {
        "key": "gaming_esport",
        "labels": {
            "nb": "gaming og e-sport",
            "nn": "gaming og e-sport",
            "en": "gaming and e-sports",
        },
        "description": (
            "Dataspill, TV-spill, e-sport, gamingrom og LAN; konsoller, PC-er og "
            "spillkvelder."
        ),
        "keywords": [
            "gaming*", "game*", "gamer*", "gamingrom*", "e-sport*", "esport*", "dataspill*",
            "tv-spill*", "spill", "spille*", "spillkveld*", "spillrom*", "brettspill*", "lan",
            "lan-party", "konsoll*", "playstation*", "ps5", "xbox*", "switch", "nintendo*",
            "minecraft*", "fortnite*", "fifa", "pc", "pc-er", "pcer", "datamaskin*", "gaming",
            "video game*", "videogame*", "board game*", "headset*",
        ],
        "examples": [
            "Gamingrom med gode PC-er", "E-sport og LAN for ungdom",
            "Spillkveld med brettspill og TV-spill", "A gaming room with consoles",
        ],
    },
    {
        "key": "arrangementer_kultur",
        "labels": {
            "nb": "arrangementer og kultur",
            "nn": "arrangement og kultur",
            "en": "events and culture",
        },
        "description": (
            "Konserter, foredrag, teater, kino, utstillinger, festivaler, forfatterbesøk og "
            "kurs i kultur; et kulturhus og en kalender."
        ),
        "keywords": [
            "arrangement*", "arrangere*", "konsert*", "foredrag*", "teater*", "kino*",
            "bygdekino*", "film*", "utstilling*", "festival*", "kultur*", "kulturhus*",
            "kunst*", "musikk*", "band", "scene*", "forestilling*", "forfatter*",
            "forfatterbesøk*", "debatt*", "quiz*", "kalender*", "historie*", "historielag*",
            "lokalhistorie*", "museum*", "dans*", "kor", "informasjonsmøte*", "infomøte*",
            "event*", "concert*", "music", "theatre", "theater", "art", "festival", "culture",
            "exhibition*", "movie*", "cinema",
        ],
        "examples": [
            "Konserter og foredrag på biblioteket", "Flere kulturarrangementer for alle aldre",
            "Bygdekino og utstillinger", "Concerts and events",
        ],
    },
    {
        "key": "transport_trafikk",
        "labels": {
            "nb": "transport og buss",
            "nn": "transport og buss",
            "en": "transport and buses",
        },
        "description": (
            "Buss, tog, kollektivtransport, bestillingstransport, parkering, sykkelvei, "
            "fortau, trafikksikkerhet og veilys."
        ),
        "keywords": [
            "buss*", "bussforbindelse*", "busstilbud*", "bussrute*", "tog*", "togstasjon*",
            "jernbane*", "kollektiv*", "bestillingstransport*", "transport*", "skyss*", "rute*",
            "avgang*", "parkering*", "parkeringsplass*", "bil", "sykkel*", "sykle*",
            "sykkelvei*", "gang- og sykkelvei*", "fortau*", "gangvei*", "vei", "veg",
            "trafikk*", "fartsdump*", "fotgjengerfelt*", "overgang*", "belysning*", "gatelys*",
            "veilys*", "brøyting*", "strøing*", "hull", "asfalt*", "bus", "buses", "train*",
            "transport", "parking", "bike*", "bicycle*", "road*", "traffic",
        ],
        "examples": [
            "Flere bussavganger på kveldstid", "Bedre gang- og sykkelvei til skolen",
            "Parkering ved stasjonen", "More buses in the evening",
        ],
    },
    {
        "key": "barn_familie",
        "labels": {
            "nb": "barn og familie",
            "nn": "born og familie",
            "en": "children and families",
        },
        "description": (
            "Tilbud for småbarn og familier: lekeplass, babysang, eventyrstund, stellerom, "
            "barnevogn, lekerom, leksehjelp og aktiviteter i ferien."
        ),
        "keywords": [
            "barn", "born", "småbarn*", "barnefamilie*", "familie*", "baby*", "babysang*",
            "forelder*", "foreldre*", "mor", "far", "mamma*", "pappa*", "barsel*", "permisjon*",
            "amming*", "amme*", "stellerom*", "stellebord*", "barnevogn*", "vogn*",
            "lekeplass*", "leikeplass*", "lekerom*", "leikerom*", "lek", "leik", "leke*",
            "leike*", "eventyrstund*", "eventyr*", "høytlesing*", "lekse*", "leksehjelp*",
            "barnebibliotek*", "unge", "ungene", "ferie*", "sommerferie*", "barnehage*",
            "child*", "kid*", "baby", "family", "families", "parent*", "playground*",
            "homework",
        ],
        "examples": [
            "Lekeplass og stellerom for småbarn", "Babysang og eventyrstund",
            "Leksehjelp for barna etter skolen", "A playground for the kids",
        ],
    },
    {
        "key": "apningstider",
        "labels": {
            "nb": "åpningstider",
            "nn": "opningstider",
            "en": "opening hours",
        },
        "description": (
            "Lengre og flere åpningstider: kveld, helg, søndag, meråpent bibliotek og "
            "selvbetjening."
        ),
        "keywords": [
            "åpningstid*", "opningstid*", "åpen", "åpent", "open", "ope", "opne", "åpne",
            "meråpen*", "meirope*", "selvbetjen*", "sjølvbetjen*", "kveldsåpent", "helg*",
            "helgeåpent", "søndag*", "lørdag*", "kveld*", "kveldstid*", "stengt", "stenge*",
            "lenger", "lengre", "time*", "opening", "hours", "weekend*", "closed", "sunday*",
            "late",
        ],
        "examples": [
            "Åpent på kveldstid og i helgene", "Meråpent bibliotek hele uka",
            "Lengre åpningstider på lørdager", "Open on Sundays",
        ],
    },
    {
        "key": "boker_lesing",
        "labels": {
            "nb": "bøker og utlån",
            "nn": "bøker og utlån",
            "en": "books and lending",
        },
        "description": (
            "Bøker, lydbøker, tegneserier, aviser og blader; utlån, bokbuss, hjemlevering, "
            "lesesirkel og lesing."
        ),
        "keywords": [
            "bok", "bøker", "boka", "boklig*", "lydbok*", "e-bok*", "ebok*", "tegneserie*",
            "manga*", "roman*", "krim*", "avis*", "blad*", "tidsskrift*", "magasin*", "utlån*",
            "låne", "lån", "bokbuss*", "hjemlevering*", "lesesirkel*", "leseklubb*",
            "lesestund*", "lese", "leser*", "lesing", "litteratur*", "bibliotekar*", "samling*",
            "storskrift*", "bokstart*", "bokkafé*", "book*", "read*", "novel*", "comic*",
            "audiobook*", "library", "newspaper*", "magazine*",
        ],
        "examples": [
            "Flere lydbøker og tegneserier", "Bokbuss og hjemlevering av bøker",
            "Lesesirkel for voksne", "More books in English",
        ],
    },
    {
        "key": "digital_hjelp_kurs",
        "labels": {
            "nb": "hjelp med digitale tjenester",
            "nn": "hjelp med digitale tenester",
            "en": "help with digital services",
        },
        "description": (
            "Hjelp og kurs med data, mobil, nettbank, BankID, skjemaer, Digipost, NAV og "
            "søknader; seniornett og digital veiledning."
        ),
        "keywords": [
            "digital*", "data", "datakurs*", "datahjelp*", "pc-hjelp*", "mobil*",
            "smarttelefon*", "telefon*", "nettbrett*", "ipad*", "nettbank*", "bankid*",
            "digipost*", "skjema*", "søknad*", "søke", "nav", "helsenorge*", "vipps*",
            "passord*", "e-post*", "epost*", "internett*", "nett", "nettside*", "app*",
            "skanner*", "printer*", "skrive ut", "utskrift*", "kopiere*", "seniornett*",
            "kurs*", "veiledning*", "rettleiing*", "hjelp", "hjelpe", "teknologi*", "skatt*",
            "selvangivelse*", "computer*", "phone*", "online", "internet", "digital", "form*",
            "help",
        ],
        "examples": [
            "Hjelp med nettbank og BankID", "Datakurs for seniorer",
            "Noen som kan hjelpe med skjemaer på nett", "Help with online forms",
        ],
    },
    {
        "key": "idrett_aktivitet",
        "labels": {
            "nb": "idrett og aktivitet",
            "nn": "idrett og aktivitet",
            "en": "sports and activities",
        },
        "description": (
            "Idrett, trening og fysisk aktivitet: fotball, ballbinge, svømmehall, skatepark, "
            "klatring, trim, idrettshall og treningssenter."
        ),
        "keywords": [
            "idrett*", "idrettslag*", "idrettshall*", "hall", "trening*", "trene",
            "treningssenter*", "trim*", "fotball*", "fotballbane*", "bane", "ballbinge*",
            "ballbinga", "håndball*", "basket*", "volleyball*", "tennis*", "padel*", "svømme*",
            "svømmehall*", "basseng*", "skate*", "skatepark*", "sparkesykkel*", "pumptrack*",
            "klatre*", "klatring*", "klatrevegg*", "turn", "dans", "yoga*", "ski", "skøyte*",
            "ishall*", "sport*", "aktivitet*", "aktivitetar", "aktiv", "mosjon*", "gym*",
            "football*", "soccer", "sport", "sports", "swimming", "pool", "skate*",
            "basketball",
        ],
        "examples": [
            "Fotballbane og ballbinge", "Svømmehall og treningssenter",
            "Skatepark for ungdommen", "A football field",
        ],
    },
    {
        "key": "skaperverksted_utstyr",
        "labels": {
            "nb": "skaperverksted og utstyr",
            "nn": "skaparverkstad og utstyr",
            "en": "makerspace and equipment",
        },
        "description": (
            "Verksted og utstyr å låne: 3D-printer, symaskin, verktøy, robotikk, koding, "
            "lego, makerspace og utlån av sportsutstyr."
        ),
        "keywords": [
            "verksted*", "verkstad*", "skaperverksted*", "makerspace*", "3d-print*", "3d",
            "printer*", "symaskin*", "sy", "søm", "strikk*", "vevstol*", "verktøy*", "drill",
            "utstyr*", "utstyrsbod*", "bua", "utlån av*", "låne ut", "tilhenger*", "robot*",
            "robotikk*", "koding*", "programmer*", "lego*", "elektronikk*", "lodde*",
            "laserkutter*", "vinylkutter*", "hobby*", "håndverk*", "snekker*", "tools", "tool",
            "equipment", "sewing", "maker*", "coding", "workshop*",
        ],
        "examples": [
            "3D-printer og symaskin til utlån", "Verksted med verktøy man kan låne",
            "Koding og robotverksted for barn", "A makerspace with tools",
        ],
    },
    {
        "key": "sprak_integrering",
        "labels": {
            "nb": "språk og integrering",
            "nn": "språk og integrering",
            "en": "language and integration",
        },
        "description": (
            "Språkkafé, norskopplæring, norsktrening, bøker på andre språk, tolk og hjelp for"
            " nye innbyggere og innvandrere."
        ),
        "keywords": [
            "språk*", "språkkafé*", "språkkafe*", "norskkurs*", "norskopplæring*",
            "norsktrening*", "norsk", "lære norsk", "snakke norsk", "morsmål*", "tolk*",
            "oversett*", "innvandrer*", "flyktning*", "integrering*", "ny i norge",
            "nye i norge", "nyankomne", "nykomne", "arabisk*", "somali*", "ukrainsk*", "polsk*",
            "tigrinja*", "fremmedspråk*", "english", "engelsk*", "language*", "norwegian",
            "translat*", "learn", "immigrant*", "refugee*",
        ],
        "examples": [
            "Språkkafé for å øve på norsk", "Bøker på arabisk og somali",
            "Norskkurs for nye i Norge", "Learn Norwegian at the library",
        ],
    },
    {
        "key": "trygghet_ro",
        "labels": {
            "nb": "trygghet og ro",
            "nn": "tryggleik og ro",
            "en": "safety and calm",
        },
        "description": (
            "Trygt, rolig og stille nærmiljø; lite kriminalitet, lite bråk, landlig idyll, "
            "godt å bo, trygt for barn å gå alene."
        ),
        "keywords": [
            "trygg*", "tryggleik*", "trygghet*", "ro", "rolig*", "fred*", "fredelig*",
            "stillhet", "idyll*", "idyllisk*", "landlig*", "bygd", "bygda", "lite bråk",
            "bråk*", "kriminalitet*", "hærverk*", "vakt*", "natteravn*", "politi*", "safe*",
            "safety", "calm", "peaceful*", "quiet*", "small-town", "small town",
        ],
        "examples": [
            "Det er trygt og rolig her", "Trygt for barna å gå alene til skolen",
            "Landlig og fredelig", "It feels safe and peaceful",
        ],
    },
    {
        "key": "ungdom_fritid",
        "labels": {
            "nb": "tilbud til ungdom",
            "nn": "tilbod til ungdom",
            "en": "youth activities",
        },
        "description": (
            "Ungdomsklubb, fritidsklubb, ungdomshus og steder der ungdom kan henge etter "
            "skolen uten å måtte kjøpe noe."
        ),
        "keywords": [
            "ungdom*", "ungdomsklubb*", "ungdomshus*", "fritidsklubb*", "fritid*", "klubb*",
            "tenåring*", "henge", "chill*", "youth*", "teen*", "teenager*", "hang out",
        ],
        "examples": [
            "Ungdomsklubb åpen i helgene", "Et sted ungdom kan henge etter skolen",
            "Fritidsklubb for tenåringer", "A youth club",
        ],
    },
]
