"""Recognising product screens in talk and in labels ("the checkout screen" → Checkout).

A small catalogue of screens common to digital products, plus a pattern for any other
"the X screen/page/tab". Each screen has a key, so labels that name one screen in different
words ("Checkout", "Checkout Screen", "Payment Page") land in one report section.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bristlenose.llm.offline.text import STOP_WORDS, Token, stem, title_case, tokens

_SCREEN_WORDS = frozenset({"screen", "screens", "page", "pages", "tab", "view", "step", "form"})
_GENERIC_WORDS = _SCREEN_WORDS | frozenset({"results", "details", "section", "flow", "area", "list", "listing", "bit"})
_NOT_A_NAME = STOP_WORDS | frozenset(
    """
next previous first last same other whole entire new current final second third different little main blank
loading one every each another empty white front top bottom web
""".split()
)


@dataclass(frozen=True)
class ScreenEntry:
    """A screen of the catalogue. Phrases starting with ``~`` are weak: everyday words ("basket",
    "search") that name the screen in a moderator's task but not in passing talk."""

    key: str
    label: str
    phrases: str


CATALOGUE: tuple[ScreenEntry, ...] = (
    ScreenEntry("sign-up", "Sign-up", "sign up, signing up, signed up, signup, sign-up form, create an account, "
                                      "create account, creating an account, set up an account, setting up an account, "
                                      "make an account, registration, onboarding, ~register, ~get started"),
    ScreenEntry("log-in", "Log-in", "log in screen, login screen, login page, sign in screen, ~log in, ~login, "
                                    "~sign in"),
    ScreenEntry("home", "Home", "home screen, home page, homepage, home tab, landing page, start screen, main screen, "
                                "front page"),
    ScreenEntry("search", "Search Results", "search results, search result, results page, no results, ~results"),
    ScreenEntry("search", "Search", "search bar, search box, search field, search screen, search page, ~search, "
                                    "~searching, ~searched, ~magnifying glass, ~find it, ~find some, ~find something, "
                                    "~search for"),
    ScreenEntry("browse", "Browse", "category page, categories page, ~categories, ~browse, ~browsing, ~aisles"),
    ScreenEntry("product", "Product Page", "product page, product screen, product details, product detail page, "
                                           "item page, item details, product info, ~more info"),
    ScreenEntry("basket", "Basket", "basket page, basket screen, shopping basket, cart page, shopping cart, "
                                    "trolley page, ~basket, ~cart, ~trolley"),
    ScreenEntry("delivery", "Delivery Slots", "delivery slots, delivery slot, time slots, time slot, delivery times, "
                                              "delivery window, delivery options, slots screen, slot screen, ~slots, "
                                              "~slot"),
    ScreenEntry("checkout", "Checkout", "checkout, check out screen, check out page, checkout screen, payment page, "
                                        "payment screen, payment details, ~payment, ~check out, ~checking out, "
                                        "~card details"),
    ScreenEntry("tracking", "Order Tracking", "order tracking, tracking screen, tracking page, track my order, "
                                              "track your order, track the order, order status, ~tracking, ~live map"),
    ScreenEntry("confirmation", "Order Confirmation", "order confirmation, confirmation screen, confirmation page"),
    ScreenEntry("orders", "Order History", "order history, past orders, previous orders, my orders"),
    ScreenEntry("account", "Account", "my account, account page, account screen, account settings, profile page, "
                                      "settings page, settings screen, ~profile, ~settings"),
    ScreenEntry("favourites", "Favourites", "favourites page, favorites page, wishlist, wish list, saved items, "
                                            "~favourites, ~favorites"),
    ScreenEntry("notifications", "Notifications", "notifications screen, notifications page, notification settings"),
    ScreenEntry("filters", "Filters", "filters page, filter screen, sort and filter, ~filters"),
    ScreenEntry("dashboard", "Dashboard", "dashboard"),
)


@dataclass(frozen=True)
class Mention:
    """A screen named in a text: its key, label, where, and whether the naming is explicit."""

    key: str
    label: str
    start: int
    end: int
    explicit: bool


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    entry: ScreenEntry
    explicit: bool


_PHRASES: tuple[_Phrase, ...] = tuple(
    sorted(
        (_Phrase(tuple(p.strip().lstrip("~").replace("-", " ").split()), entry, not p.strip().startswith("~"))
         for entry in CATALOGUE for p in entry.phrases.split(",") if p.strip()),
        key=lambda phrase: -len(phrase.words),
    )
)


def mentions(text: str) -> list[Mention]:
    """Screens named in ``text``, in order; catalogue phrases win over the generic pattern."""
    found = tokens(text)
    result: list[Mention] = []
    position = 0
    while position < len(found):
        mention, width = _catalogue_at(found, position) or _generic_at(found, position) or (None, 1)
        if mention is not None:
            result.append(mention)
        position += width
    return result


@functools.lru_cache(maxsize=4096)
def screen_of_label(label: str) -> Mention | None:
    """The screen a topic label names, if it names one ("Checkout Screen" → Checkout).

    Remembered, since every quote of a big study asks again about its topic's few labels.
    """
    named = mentions(label)
    return named[0] if named else None


def label_key(label: str) -> str:
    """A key under which labels naming the same screen or subject agree."""
    named = screen_of_label(label)
    if named is not None:
        return named.key
    words = [stem(w) for w in (t.word for t in tokens(label)) if w not in STOP_WORDS and w not in _GENERIC_WORDS]
    return " ".join(words) or label.strip().lower()


def _catalogue_at(found: list[Token], position: int) -> tuple[Mention, int] | None:
    for phrase in _PHRASES:
        width = len(phrase.words)
        window = found[position:position + width]
        if tuple(t.word for t in window) == phrase.words:
            explicit = phrase.explicit or _followed_by_screen_word(found, position + width)
            extra = 1 if _followed_by_screen_word(found, position + width) else 0
            end = found[position + width - 1 + extra].end
            return Mention(phrase.entry.key, phrase.entry.label, window[0].start, end, explicit), width + extra
    return None


def _generic_at(found: list[Token], position: int) -> tuple[Mention, int] | None:
    """"the wardrobe screen", "the my-plan page": one or two name words before a screen word."""
    for width in (2, 1):
        end = position + width
        if end >= len(found) or found[end].word not in _SCREEN_WORDS - {"step", "form"}:
            continue
        names = [t.word for t in found[position:end]]
        if any(w in _NOT_A_NAME or w.isdigit() or len(w) < 3 for w in names):
            continue
        label = title_case(" ".join(names))
        return Mention(" ".join(stem(w) for w in names), label, found[position].start, found[end].end, True), width + 1
    return None


def _followed_by_screen_word(found: list[Token], position: int) -> bool:
    return position < len(found) and found[position].word in _SCREEN_WORDS
