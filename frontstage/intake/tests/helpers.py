"""Shared by intake tests: solving the proof of work as a browser would."""

import base64
import json

import altcha

from frontstage.intake import spam


def solved_pow() -> str:
    made = spam.new_challenge()
    solution = altcha.solve_challenge_v1(made.challenge, made.salt, "SHA-256", made.maxnumber)
    assert solution is not None
    payload = {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "number": solution.number,
        "salt": made.salt,
        "signature": made.signature,
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def report_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "locations": [{"kind": "url", "value": "http://fake-parcel.example/pay?utm_source=sms"}],
        "category": "scam_fraud",
        "explanation": "A text message asked me to pay a parcel fee on this page.",
        "region": "CN-GD",
        "good_faith": True,
        "altcha": solved_pow(),
    }
    body.update(changes)
    return body
