"""Checksums of wallet addresses, so a random 34-character token is not taken for a wallet."""

import hashlib

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_BECH32_CONSTANTS = (1, 0x2BC830A3)  # bech32 (segwit v0) and bech32m (v1+)
_BTC_VERSIONS = (0x00, 0x05)  # pay-to-pubkey-hash, pay-to-script-hash
_TRON_VERSION = 0x41


def base58check_version(address: str) -> int | None:
    """The version byte of a valid Base58Check address of 25 bytes, else None."""
    number = 0
    for char in address:
        digit = _BASE58.find(char)
        if digit < 0:
            return None
        number = number * 58 + digit
    leading_zeros = len(address) - len(address.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * leading_zeros + body
    if len(raw) != 25:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload[0]


def is_btc_legacy(address: str) -> bool:
    return base58check_version(address) in _BTC_VERSIONS


def is_tron(address: str) -> bool:
    return base58check_version(address) == _TRON_VERSION


def is_btc_segwit(address: str) -> bool:
    """A bc1… address whose bech32/bech32m checksum holds."""
    hrp, _, data = address.lower().rpartition("1")
    if hrp != "bc" or address not in (address.lower(), address.upper()) or len(data) < 6:
        return False
    values = [_BECH32.find(char) for char in data]
    if min(values) < 0:
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _polymod(expanded + values) in _BECH32_CONSTANTS


def _polymod(values: list[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = ((check & 0x1FFFFFF) << 5) ^ value
        for i, generator in enumerate(_BECH32_GENERATOR):
            if (top >> i) & 1:
                check ^= generator
    return check
