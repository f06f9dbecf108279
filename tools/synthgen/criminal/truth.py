"""The instructor-only truth files: `_truth/dgp.json` in exactly the contract's shape, and
`_truth/dgp_details.json` with everything a researcher needs to audit it (targets, sources,
calibration and planted-violation rates)."""

from __future__ import annotations

from typing import Any

from synthgen.criminal.decisions import FittedModel
from synthgen.criminal.partition import Shared


def _model(m: FittedModel) -> dict[str, Any]:
    return {
        "outcome": m.spec.outcome,
        "link": m.spec.link,
        "group": m.spec.group,
        "group_sd": m.spec.group_sd,
        "coefficients": {k: round(v, 6) for k, v in m.coefficients.items()},
        "year_intercepts": {str(y): round(a, 6) for y, a in sorted(m.year_intercepts.items())},
    }


def dgp_json(shared: Shared) -> dict[str, Any]:
    return {"arrest": _model(shared.arrest), "prosecution": _model(shared.prosecution)}


def dgp_details(shared: Shared, seed: int) -> dict[str, Any]:
    p = shared.params
    return {
        "seed": seed,
        "note": "系数为建模先验（domain.md §5.3 的示意性比值比），不是实证研究结论；"
        "年度截距按公布的不捕率/不诉率校准，is_juvenile 系数按2021年未成年人比率校准。",
        "coefficient_sources": {
            "arrest": p.arrest.coefficient_source,
            "prosecution": p.prosecution.coefficient_source,
        },
        "calibrated": {
            "arrest": {
                "year_intercepts": p.arrest.calibrate_year_intercepts,
                "is_juvenile": p.arrest.calibrate_juvenile,
            },
            "prosecution": {
                "year_intercepts": p.prosecution.calibrate_year_intercepts,
                "is_juvenile": p.prosecution.calibrate_juvenile,
            },
        },
        "targets": p.targets,
        "random_effects": {k: v.model_dump() for k, v in p.random_effects.items()},
        "other_decision_share": {
            "arrest": p.arrest.other_decision_share.model_dump(),
            "prosecution": p.prosecution.other_decision_share.model_dump(),
        },
        "non_arrest_reasons": p.arrest.reasons,
        "non_prosecution_types": p.prosecution.types,
        "planted_violations": {
            "XS-03": p.timing["late_arrest_rate"],
            "XS-04": p.timing["late_prosecution_rate"],
        },
        "params_digest": p.digest(),
    }
