"""The kinds of personal data redaction looks for, and the placeholder each becomes."""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """A kind of personal data; its value is the entity name the recognisers report."""

    NAME = "NAME"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    ADDRESS = "ADDRESS"
    CARD = "CARD"
    IBAN = "IBAN"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    ID_NUMBER = "ID_NUMBER"
    IP_ADDRESS = "IP_ADDRESS"

    @property
    def placeholder(self) -> str:
        """``[DATE OF BIRTH]``: what replaces a value of this kind in every text."""
        return f"[{self.value.replace('_', ' ')}]"


# Presidio's own entity names for the recognisers bristlenose reuses.
PRESIDIO_KINDS: dict[str, Kind] = {
    "CREDIT_CARD": Kind.CARD,
    "IBAN_CODE": Kind.IBAN,
    "PHONE_NUMBER": Kind.PHONE,
    "US_SSN": Kind.ID_NUMBER,
    "UK_NINO": Kind.ID_NUMBER,
    "IP_ADDRESS": Kind.IP_ADDRESS,
}

# When two findings overlap, the more specific kind names the merged span.
PRIORITY: tuple[Kind, ...] = (Kind.EMAIL, Kind.IBAN, Kind.CARD, Kind.BANK_ACCOUNT, Kind.ID_NUMBER, Kind.IP_ADDRESS,
                              Kind.DATE_OF_BIRTH, Kind.ADDRESS, Kind.PHONE, Kind.NAME)
