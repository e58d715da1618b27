"""A small catalogue of findings that recur in research on digital products.

Each subject has vocabulary that anchors quotes to it (``core`` words count double; so does
talk on one of its ``screens``, keys of :mod:`screens`) and a label for each way participants
can feel about it, so a theme's label states a finding
("Hidden costs erode trust") rather than naming a topic. Vocabulary is stemmed at import.
"""

from __future__ import annotations

from dataclasses import dataclass

from bristlenose.llm.offline.text import stem


@dataclass(frozen=True)
class Subject:
    """A subject of the catalogue and how to name a theme about it."""

    name: str
    core: frozenset[str]
    related: frozenset[str]
    screens: frozenset[str]
    friction: str
    positive: str
    mixed: str


def _subject(name: str, core: str, related: str, screens: str, friction: str, positive: str, mixed: str) -> Subject:
    return Subject(name, frozenset(stem(w) for w in core.split()), frozenset(stem(w) for w in related.split()),
                   frozenset(screens.split()), friction, positive, mixed)


CATALOGUE: tuple[Subject, ...] = (
    _subject("costs", "fee fees charge charged charges surcharge cost costs price prices pricing total expensive "
                      "pound pounds pence dollars euros £ $ € subscription",
             "pay paid money spend cheap extra hidden hide upfront changed updated went jump",
             "checkout delivery",
             "Hidden costs erode trust", "Clear prices build confidence", "Prices need to be upfront"),
    _subject("sign-up", "sign signup register registration account password email birth postcode household "
                        "mobile form",
             "ask asking asks wants details personal address phone name life story",
             "sign-up",
             "Sign-up asks too much too soon", "Sign-up feels quick", "Sign-up divides opinion"),
    _subject("search", "search searched searching typo typed spell spelled spelling misspelled results result",
             "find found fix meant stock keyword filter",
             "search",
             "Search forgives too little", "Search finds things fast", "Search works, with caveats"),
    _subject("tracking", "track tracking map driver van courier stops eta",
             "live moving arrive arrives away late update updates where",
             "tracking",
             "Tracking leaves people guessing", "Live tracking delights", "Tracking reassures but could say more"),
    _subject("information", "allergen allergens allergy allergic ingredient ingredients nutrition nutritional "
                            "vegan gluten specification specs",
             "info information details label small print buried bottom tiny spot read check paragraph obvious",
             "product",
             "Key product details are buried", "Product details reassure", "Product details need work"),
    _subject("substitutions", "substitution substitutions substitute swap swapped replacement alternative",
             "stock toggle switch item choose pick instead wrong",
             "",
             "People want a say in substitutions", "Substitutions feel under control", "Substitutions divide opinion"),
    _subject("suggestions", "recipe recipes suggestion suggestions inspiration recommend recommended recommendations "
                            "personalised idea ideas",
             "cook cooking meal dinner tonight usual",
             "",
             "Suggestions get in the way", "Suggestions inspire", "Suggestions divide opinion"),
    _subject("settings", "setting settings option options toggle switch wording label icon icons button",
             "mean means meaning default unclear understand",
             "",
             "Unclear controls leave people guessing", "Controls feel self-explanatory",
             "Controls need clearer wording"),
    _subject("effort", "steps step clicks faff effort tedious slow fiddling fiddly",
             "long every time again quick fast ages taps tap scroll scrolling",
             "",
             "Too many steps wear people down", "Quick to get through", "Effort varies across the flow"),
    _subject("communication", "notification notifications notify text message call ring alert",
             "tell told ask phone update let know",
             "",
             "People want to be told, not surprised", "Timely updates reassure", "Updates matter to people"),
    _subject("privacy", "privacy data personal share sharing marketing spam calls",
             "number why need know tell",
             "",
             "Personal data requests feel intrusive", "People are comfortable sharing data", "Privacy concerns vary"),
    _subject("payment", "card payment pay checkout secure security",
             "details trust safe saved",
             "",
             "Payment doesn't feel safe yet", "Paying feels safe and simple", "Payment needs more reassurance"),
    _subject("design", "design layout colour color font clutter cluttered busy clean banner photo photos picture "
                       "pictures image images",
             "look looks big small top",
             "",
             "Busy screens overwhelm", "Clean design makes a good impression", "Visual design divides opinion"),
    _subject("offers", "offer offers deal deals promo promotion discount voucher coupon advert",
             "banner save saving",
             "",
             "Promotions feel like noise", "Offers catch the eye", "Offers divide opinion"),
    _subject("reliability", "error errors crash crashed bug broken glitch freeze loading",
             "work worked working wrong",
             "",
             "Errors and glitches shake confidence", "The app feels dependable", "Reliability is uneven"),
)
