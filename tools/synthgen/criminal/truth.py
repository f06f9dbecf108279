"""The instructor-only truth files: `_truth/dgp.json` in the contract's shape (plus the dated
policy effect and the arrested effect), and `_truth/dgp_details.json` with everything a
researcher needs to audit it (targets, sources, calibration, policy dates, planted rates)."""

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
        "policy_effect": round(m.policy_effect, 6),
        "arrested_effect": {str(y): round(g, 6) for y, g in sorted(m.arrested_effect.items())},
    }


def dgp_json(shared: Shared) -> dict[str, Any]:
    return {"arrest": _model(shared.arrest), "prosecution": _model(shared.prosecution)}


def _policies(shared: Shared) -> dict[str, Any]:
    p = shared.params.policies
    provinces = sorted(set(shared.procs["province_code"]))
    return {
        "revision_2018": p.revision_2018.model_dump(mode="json"),
        "plea_guidance_2019": p.plea_guidance_2019.model_dump(mode="json"),
        "lenient": {
            "announced": p.lenient.announced.isoformat(),
            "source": p.lenient.source,
            "adoption_source": p.lenient.adoption_source,
            "adoption": {c: p.lenient.adopted_on(c).isoformat() for c in provinces},
            "effect_arrest_logit": p.lenient.effect_arrest.value,
            "effect_prosecution_logit": p.lenient.effect_prosecution.value,
        },
    }


def dgp_details(shared: Shared, seed: int) -> dict[str, Any]:
    p = shared.params
    return {
        "seed": seed,
        "note": "系数为建模先验（示意性比值比），不是实证研究结论。η = α(t) + xβ + u_检察院 "
        "+ δ·1[决定日 ≥ 本省采纳少捕慎诉慎押之日] + γ_年·已逮捕（仅审查起诉）。α(t) 在各年7月1日的"
        "节点（year_intercepts）之间按日线性插值，节点按公布的不捕率/不诉率（按决定日期所在年度）"
        "校准；γ 按捕后不诉率校准；is_juvenile 按2021年未成年人比率校准。2018–2019年的认罪认罚"
        "适用率是[K]假设，年度截距随之变化，不能解读为检察院宽严的变化。",
        "coefficient_sources": {
            "arrest": p.arrest.coefficient_source,
            "prosecution": p.prosecution.coefficient_source,
        },
        "calibrated": {
            name: {
                "year_intercepts": m.calibrate_year_intercepts,
                "is_juvenile": m.calibrate_juvenile,
            }
            for name, m in (("arrest", p.arrest), ("prosecution", p.prosecution))
        },
        "targets": p.targets.model_dump(mode="json"),
        "policies": _policies(shared),
        "type_shares_within_eligible": {
            "附条件不起诉_符合条件的未成年人不起诉中": round(
                shared.shares.conditional_if_eligible, 6
            ),
            "存疑不起诉_有退回补充侦查的不起诉中": round(shared.shares.doubt_if_returned, 6),
        },
        "arrest_referral": {
            "note": "公安机关提请逮捕的倾向 k(t)：罪名 c 的嫌疑人被提请逮捕的概率为"
            " min(1, k(t)·r_c)，t 为审查逮捕决定日；k 在各年7月1日的节点"
            "之间线性插值，节点按诉前羁押率（按决定日期所在年度）校准。"
            "r_c 为各罪名的提请逮捕倾向（crimes.properties.*.arrest_request）。",
            "knots": {str(y): round(k, 6) for y, k in sorted(shared.referral.items())},
        },
        "random_effects": p.random_effects.model_dump(mode="json"),
        "procuratorate_context": p.procuratorates.context.model_dump(mode="json"),
        "other_decision_share": {
            "arrest": p.arrest.other_decision_share.model_dump(),
            "prosecution": p.prosecution.other_decision_share.model_dump(),
        },
        "non_arrest_reasons": p.arrest.reasons.model_dump() if p.arrest.reasons else None,
        "non_prosecution_types": p.prosecution.types.model_dump() if p.prosecution.types else None,
        "planted_violations": {
            "XS-03": p.timing.late_arrest_rate.model_dump(),
            "XS-04": p.timing.late_prosecution_rate.model_dump(),
        },
        "params_digest": p.digest(),
    }
