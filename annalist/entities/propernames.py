"""Word lists for the proper-noun heuristic: English function words and calendar words, not
names fitted to any corpus. Lower-case; compared with a token's lower-case form.
"""

from __future__ import annotations

WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "christmas easter ramadan eid hanukkah diwali thanksgiving halloween".split()
)
# Words that begin sentences, headlines and page chrome; never a name by themselves.
STOP = frozenset(
    """a an the and or but nor so yet if then than as at by for from in into of off on onto out over
    to up upon with within without about above after against along among around before behind
    below beneath beside besides between beyond despite during except inside near since through
    throughout till toward towards under underneath unlike until via while whereas although though
    because however meanwhile moreover nevertheless nonetheless furthermore also still already
    earlier later today tonight tomorrow yesterday now here there where when what which who whom
    whose why how all any both each either every few many more most much neither no none not
    one other others several some such this that these those it its it's he him his she her hers
    they them their theirs we us our ours you your yours i me my mine myself itself themselves
    is are was were be been being has have had do does did would shall should can could
    might must according updated posted published read more share comment comments reply log
    login sign subscribe tagged advertisement photo photos picture image video watch listen
    credit credits source sources copyright caption related follow click see yes ok tv
    utc gmt bst cet est edt pst am pm
    """.split()
)
# Titles and honorifics: dropped from the edges of a name, and a sign it is a person's.
TITLES = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister secretary
    chancellor king queen prince princess sheikh sheik emir general gen col colonel major maj
    captain capt lieutenant lt sergeant sgt admiral commander pope cardinal bishop archbishop
    rev reverend father imam ayatollah senator sen rep representative governor gov mayor judge
    justice ambassador spokesman spokeswoman spokesperson chairman chairwoman director chief
    leader attorney constable detective inspector sheriff superintendent trooper coach ceo
    executive founder cofounder co-founder
    """.split()
)
# More titles, known to discovery's checks only: the tagger's feature list stays TITLES, as the
# shipped model was trained with it (changing it would change every tag).
MORE_TITLES = frozenset(
    """speaker emperor empress tsar czar tsarina sultan pharaoh premier chairperson pastor rabbi
    deacon provost commissioner councillor councilman councilwoman alderman
    congressman congresswoman assemblyman assemblywoman uncle aunt auntie""".split()
)
# Nationalities in the singular, known to discovery's checks only (as MORE_TITLES): a person's name
# never opens with one ("Brazilian Ronaldo", "Kenyan Alice Timbilil", "Dutchman Peter Wessels").
# Only those DEMONYMS and its plurals do not hold already (discover._demonym reads both); not those
# that are also first names or surnames (Norman, Roman, Jordan).
MORE_DEMONYMS = frozenset(
    """albanian algerian andorran angolan argentine argentinian armenian aussie australian austrian
    azerbaijani bahraini belarusian belgian bolivian bosnian brazilian bulgarian cambodian
    cameroonian canadian chadian chilean colombian croatian cuban cypriot dutchman dutchwoman
    ecuadorian egyptian englishman englishwoman eritrean estonian ethiopian fijian filipino
    frenchman frenchwoman georgian ghanaian guatemalan guinean haitian honduran hungarian icelandic
    indian indonesian iranian irishman irishwoman italian ivorian jamaican jordanian kazakh kenyan
    kiwi korean kosovan laotian latvian liberian libyan lithuanian macedonian malagasy malawian
    malaysian malian mexican moldovan mongolian montenegrin moroccan mozambican namibian nigerian
    nigerien norwegian palestinian panamanian paraguayan peruvian romanian russian rwandan
    salvadoran scotsman scotswoman serbian singaporean slovakian slovenian somali syrian tanzanian
    tunisian ugandan ukrainian uruguayan uzbek venezuelan welshman welshwoman zambian zimbabwean""".split()
)
# More head words of organisations' and places' names, known to discovery's checks only (as
# MORE_TITLES): buildings and institutions, publications, venues.
MORE_HEADS = frozenset(
    """museum library gallery hotel clinic centre center theatre theater stadium arena park hall
    prison jail church cathedral temple mosque synagogue abbey palace castle bridge tower station
    airlines airways studio studios magazine journal review institution academy laboratory
    laboratories labs trust alliance coalition initiative project society""".split()
)
# Words that belong to a title only when one follows: "Foreign Minister", not "Defence Department".
TITLE_MODIFIERS = frozenset("foreign defence defense interior finance home justice health deputy acting former".split())
# Lower-case words that may join capitalised ones inside a name ("Abu Bakr al Baghdadi",
# "Observatory for Human Rights", "Ludwig van Beethoven").
CONNECTORS = frozenset("al el bin ibn bint abu de del della der di du da van von den la le of for y".split())
# Name particles written with a hyphen before the capital: "al-Shadadi", "el-Sisi".
PARTICLES = ("al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "ibn-", "bin-")
# Nationality adjectives are not names (see docs/entities.md); a suffix test catches most
# (Syrian, Lebanese, Turkish), this list the rest.
DEMONYMS = frozenset(
    """iraqi israeli pakistani saudi kuwaiti qatari yemeni omani emirati bangladeshi afghan
    kurd kurds kurdish arab arabs arabic thai swiss dutch french greek czech slovak roman
    british english scottish welsh irish american german turkish polish danish swedish finnish
    spanish jewish muslim christian sunni shia shiite alawite druze yazidi""".split()
)
DEMONYM_SUFFIXES = ("ian", "ians", "ean", "eans", "ese", "ish", "ans")
# Last word of a name that says what kind of thing it is.
ORGANISATION_HEADS = frozenset(
    """ministry agency court council committee commission department office organisation
    organization party union bank company corporation corp inc ltd plc group university
    institute association federation league club authority service services board parliament
    assembly congress senate government observatory network news times post press channel
    television radio foundation fund programme program school college hospital police""".split()
)
GROUP_HEADS = frozenset("front brigade brigades militia militias movement battalion battalions army forces".split())
PLACE_HEADS = frozenset(
    """province governorate city town village county district region river valley desert
    mountain mountains mount lake sea ocean gulf bay island islands street square road airport
    republic kingdom""".split()
)
PLACE_BEFORE = frozenset("province governorate city town village region district river valley desert".split())
PLACE_AFTER_OF = frozenset("city town village province governorate region outskirts".split())
PLACE_CUES = frozenset(f"{word} of" for word in PLACE_AFTER_OF) | frozenset("near outside towards toward".split())
PERSON_VERBS = frozenset("said says told added insisted argued wrote".split())
# Words of page furniture: widgets, captions, credits, sharing and cookie notices. A proposed
# name holding one of them is furniture, not a person, place or organisation.
FURNITURE = frozenset(
    """video videos replay photo photos photograph gallery image images shutterstock istock watched
    caption captions javascript cookie cookies newsletter subscribe subscription advertisement
    advertising sponsored slideshow embed copyright autoplay pinterest privacy fig""".split()
)
