"""Every enforcement rule re-derived from the raw tables with pandas, the way a student reading
docs/rules.md would write it: no import from the generator or the rule engine, so agreement with
the answer key in `_truth/` is evidence for both (and for the key's completeness)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ZB = "终结本次执行程序"
Key = tuple[str, str, str | None]
MEASURES = {"查封", "轮候查封", "续封", "扣押", "冻结"}
DISPOSALS = {"扣划", "拍卖成交", "变卖", "以物抵债"}
ELEMENTS = (
    ("执行情况", "执行过程", "执行工作开展"),
    ("财产调查措施", "调查措施", "网络查控", "查控措施"),
    ("财产情况", "财产状况", "名下财产"),
    ("终结本次执行程序的依据", "终本依据", "法律后果"),
    ("申请执行人意见", "申请人意见", "申请执行人表示", "申请执行人称"),
)


class Student:
    def __init__(self, t: dict[str, pd.DataFrame], as_of: pd.Timestamp, root: Path) -> None:
        self.t, self.as_of, self.root = t, as_of, root
        cases = t["enforcement_cases"].copy()
        for col in ("filing_date", "closing_date"):
            cases[col] = pd.to_datetime(cases[col])
        acts = t["enforcement_actions"].copy()
        acts["action_date"] = pd.to_datetime(acts["action_date"])
        acts["term_end"] = pd.to_datetime(acts["term_end"])
        self.cases = cases
        self.zb = cases[cases["closing_method"] == ZB].set_index("case_id")
        self.acts = acts
        a = acts.merge(self.zb[["closing_date"]], left_on="case_id", right_index=True)
        self.before = a[a["action_date"] <= a["closing_date"]]

    def _has(self, kind: str) -> set[str]:
        return set(self.before.loc[self.before["action_type"] == kind, "case_id"])

    def _cases(self, ids: set[str], rule: str) -> set[Key]:
        return {(c, rule, None) for c in ids}

    def simple(self) -> set[Key]:
        zb, has = set(self.zb.index), self._has
        out = self._cases(zb - (has("执行通知") & has("报告财产令")), "ZB-01")
        unreported = zb - has("被执行人报告财产")
        out |= self._cases((zb - has("限制消费令")) | (unreported - has("纳入失信")), "ZB-02")
        out |= self._cases(unreported - has("罚款") - has("拘留"), "ZB-06")
        out |= self._cases(zb - has("申请执行人同意终本") - (has("合议庭评议") & has("院长审批")),
                           "ZB-08")  # fmt: skip
        due = self.zb["filing_date"] + pd.DateOffset(months=3)
        out |= self._cases(set(self.zb.index[self.zb["closing_date"] <= due]), "ZB-05")
        out |= self._cases(self._zb09(), "ZB-09")
        out |= self._cases((zb - has("终本约谈")) | self._formal(has("终本约谈")), "ZB-07")
        return out

    def _zb09(self) -> set[str]:
        b, has = self.before, self._has
        q = b[(b["action_type"] == "网络查控")
              & (b["action_date"] >= b["closing_date"] - pd.DateOffset(months=3))]  # fmt: skip
        stale = set(self.zb.index) - set(q["case_id"])
        trad = set(self.zb.index) - has("传统查控")
        return stale | trad | (has("申请悬赏") - has("悬赏公告")) | (has("申请审计") - has("审计"))

    def _formal(self, interviewed: set[str]) -> set[str]:
        out = set()
        for path in self.root.glob("casefiles/*/*_终本约谈笔录.txt"):
            if path.parent.name not in interviewed:
                continue
            text = (
                "".join(path.read_text("utf-8").split()).replace("\u3000", "").replace("\xa0", "")
            )
            if not all(any(p in text for p in group) for group in ELEMENTS):
                out.add(path.parent.name)
        return out

    def bound(self) -> set[tuple[str, str]]:
        """(case, asset) under a measure in force at T, or disposed of before T."""
        b = self.before[self.before["asset_id"].notna()]
        live = b["action_type"].isin(MEASURES) & (
            b["term_end"].isna() | (b["term_end"] >= b["closing_date"]))  # fmt: skip
        sel = b[live | b["action_type"].isin(DISPOSALS)]
        return set(zip(sel["case_id"], sel["asset_id"], strict=True))

    def zb04(self) -> set[Key]:
        zb = self.zb.copy()
        q = self.before[self.before["action_type"] == "网络查控"].groupby("case_id")["action_date"]
        zb["q"] = q.max().reindex(zb.index).fillna(zb["filing_date"])
        zb["unpaid"] = zb["amount_claimed"] - zb["amount_recovered"].fillna(0)
        zb = zb.reset_index()
        held = self._held(zb)
        bound = self.bound()
        out = {(c, "ZB-04", a) for c, a in held if (c, a) not in bound}
        return out | {(c, "ZB-04", a) for c, a in self._undisposed()}

    def _held(self, zb: pd.DataFrame) -> set[tuple[str, str]]:
        t = self.t
        found: set[tuple[str, str]] = set()
        acc = zb.merge(t["bank_accounts"], left_on="respondent_id", right_on="owner_id")
        for col in ("balance_date", "opened_date"):
            acc[col] = pd.to_datetime(acc[col])
        acc = acc[acc["balance_date"].between(acc["filing_date"], acc["closing_date"])
                  & (acc["opened_date"] <= acc["q"])]  # fmt: skip
        acc = acc.sort_values("balance_date").groupby(["case_id", "account_id"]).tail(1)
        acc = acc[(acc["balance"] >= 1000) & (acc["balance"] > 0.05 * acc["unpaid"])]
        found |= set(zip(acc["case_id"], acc["account_id"], strict=True))
        pol = zb.merge(t["insurance_policies"], left_on="respondent_id", right_on="holder_id")
        pol = pol[(pol["cash_value"] >= 1000) & (pd.to_datetime(pol["start_date"]) <= pol["q"])]
        found |= set(zip(pol["case_id"], pol["policy_id"], strict=True))
        est = self._owned_at(zb, "real_estate", "property_id").merge(
            t["real_estate"], left_on="asset_id", right_on="property_id")  # fmt: skip
        est = est[(est["est_value"] > est["mortgage_amount"]) & ~est["sole_residence"]]
        found |= set(zip(est["case_id"], est["property_id"], strict=True))
        veh = self._owned_at(zb, "vehicles", "vehicle_id")
        return found | set(zip(veh["case_id"], veh["asset_id"], strict=True))

    def _owned_at(self, zb: pd.DataFrame, name: str, key: str) -> pd.DataFrame:
        """(case_id, asset_id) of registry assets the respondent owned on the case's day q: the
        owner on a day is the last one a transfer moved it to by then, else the first owner."""
        reg = self.t[name]
        moves = self.t["ownership_transfers"]
        moves = moves[moves["asset_id"].isin(reg[key])]
        first_owner = (
            moves.sort_values("transfer_date").groupby("asset_id")["from_owner_id"].first()
        )
        start = pd.DataFrame({"asset_id": reg[key], "owner": reg["owner_id"],
                              "since": pd.to_datetime(reg["registered_date"])})  # fmt: skip
        start["owner"] = start["asset_id"].map(first_owner).fillna(start["owner"])
        later = pd.DataFrame({"asset_id": moves["asset_id"], "owner": moves["to_owner_id"],
                              "since": pd.to_datetime(moves["transfer_date"])})  # fmt: skip
        spells = pd.concat([start, later]).sort_values(["asset_id", "since"])
        spells["until"] = spells.groupby("asset_id")["since"].shift(-1)
        m = zb[["case_id", "respondent_id", "q"]].merge(
            spells, left_on="respondent_id", right_on="owner")  # fmt: skip
        m = m[(m["since"].isna() | (m["since"] <= m["q"]))
              & (m["until"].isna() | (m["until"] > m["q"]))]  # fmt: skip
        return m[["case_id", "asset_id"]]

    def _undisposed(self) -> set[tuple[str, str]]:
        b = self.before
        seals = b[(b["action_type"] == "查封") & (b["asset_type"] == "不动产")]
        seals = seals.groupby(["case_id", "asset_id"], as_index=False)["closing_date"].first()
        seals["origin"] = seals["case_id"].map(self.zb["origin_case_id"])
        tries = self.acts[self.acts["action_type"].isin({"拍卖", "变卖", "以物抵债"})]
        attempt = tries.merge(seals, on="asset_id", suffixes=("", "_s"))
        attempt = attempt[(attempt["action_date"] <= attempt["closing_date"])
                          & ((attempt["case_id"] == attempt["case_id_s"])
                             | (attempt["case_id"] == attempt["origin"]))]  # fmt: skip
        tried = set(zip(attempt["case_id_s"], attempt["asset_id"], strict=True))
        reg = self.t["real_estate"].set_index("property_id")
        out = set()
        for c, a in zip(seals["case_id"], seals["asset_id"], strict=True):
            r = reg.loc[a]
            if (
                (c, a) not in tried
                and r["est_value"] > r["mortgage_amount"]
                and not r["sole_residence"]
            ):
                out.add((c, a))
        return out

    def leads(self) -> set[Key]:
        b = self.before
        frozen = b[b["action_type"] == "冻结"].merge(
            self.t["insurance_policies"], left_on="asset_id", right_on="policy_id"
        )
        taken = set(zip(*[b.loc[b["action_type"] == "扣划", c] for c in ("case_id", "asset_id")],
                        strict=True))  # fmt: skip
        out = {(c, "ZB-04I", a) for c, a, v in
               zip(frozen["case_id"], frozen["asset_id"], frozen["cash_value"], strict=True)
               if v >= 1000 and (c, a) not in taken}  # fmt: skip
        seal = b[(b["action_type"] == "查封") & (b["asset_type"] == "车辆")]
        seal = seal.groupby(["case_id", "asset_id"], as_index=False).agg(
            s=("action_date", "min"), t=("closing_date", "first")
        )
        ev = self.t["vehicle_events"].copy()
        ev["event_date"] = pd.to_datetime(ev["event_date"])
        seen = seal.merge(ev, left_on="asset_id", right_on="vehicle_id")
        seen = seen[(seen["event_date"] > seen["s"]) & (seen["event_date"] <= seen["t"])]
        seized = set(zip(*[b.loc[b["action_type"] == "扣押", c] for c in ("case_id", "asset_id")],
                         strict=True))  # fmt: skip
        pairs = zip(seen["case_id"], seen["asset_id"], strict=True)
        return out | {(c, "ZB-04V", a) for c, a in pairs
                      if (c, a) not in seized}  # fmt: skip

    def benchmark(self) -> set[Key]:
        cases = self.cases[~self.cases["closing_method"].isin(["不予执行", "驳回申请"])]
        cases = cases.set_index("case_id")
        q = (
            self.acts[self.acts["action_type"] == "网络查控"]
            .groupby("case_id")["action_date"]
            .min()
        )
        q = q.reindex(cases.index)
        limit = cases["filing_date"] + pd.Timedelta(days=5)
        late = (q > limit) | (q.isna() & (limit < cases["closing_date"].fillna(self.as_of)))
        return {(c, "ZB-03", None) for c in cases.index[late]}

    # -- duties after 终本, deadlines of money and leads, over-sealing (docs/rules.md) --

    def _acts_of(self, kind: str) -> pd.DataFrame:
        return self.acts[self.acts["action_type"] == kind]

    def _restorations(self) -> pd.DataFrame:
        """(case_id, r): days a 终本 case was restored — its own 恢复执行 actions and the filing
        dates of the cases whose origin it is."""
        own = self._acts_of("恢复执行")[["case_id", "action_date"]].rename(
            columns={"action_date": "r"})  # fmt: skip
        kids = self.cases[self.cases["origin_case_id"].notna()]
        kids = pd.DataFrame({"case_id": kids["origin_case_id"], "r": kids["filing_date"]})
        return pd.concat([own, kids])

    def later(self) -> set[Key]:
        return self._zb11() | self._zb12()

    def _zb11(self) -> set[Key]:
        zb = self.zb[self.zb["closing_date"] <= self.as_of].copy()
        r = self._restorations().merge(zb[["closing_date"]], left_on="case_id", right_index=True)
        r = r[r["r"] > r["closing_date"]].groupby("case_id")["r"].min()
        five = zb["closing_date"] + pd.DateOffset(years=5)
        zb["e"] = pd.concat([five.rename("a"), r.reindex(zb.index).rename("b")], axis=1).min(
            axis=1).clip(upper=self.as_of)  # fmt: skip
        q = self._acts_of("终本后查询").merge(zb[["closing_date", "e"]], left_on="case_id",
                                              right_index=True)  # fmt: skip
        q = q[(q["action_date"] > q["closing_date"]) & (q["action_date"] <= q["e"])]
        nodes = pd.concat([
            pd.DataFrame({"case_id": zb.index, "d": zb["closing_date"]}),
            pd.DataFrame({"case_id": q["case_id"], "d": q["action_date"]}),
            pd.DataFrame({"case_id": zb.index, "d": zb["e"]}),
        ]).sort_values(["case_id", "d"])  # fmt: skip
        nodes["next"] = nodes.groupby("case_id")["d"].shift(-1)
        nodes = nodes[nodes["next"].notna()]
        late = nodes["next"] > nodes["d"] + pd.DateOffset(months=6)
        return self._cases(set(nodes.loc[late, "case_id"]), "ZB-11")

    def _zb12(self) -> set[Key]:
        a = self.acts[self.acts["action_type"].isin({"终本后查询", "财产线索提交"})
                      & self.acts["asset_id"].notna()]  # fmt: skip
        a = a.merge(self.zb[["closing_date"]], left_on="case_id", right_index=True)
        a = a[a["action_date"] > a["closing_date"]]
        found = a.groupby(["case_id", "asset_id"], as_index=False)["action_date"].min()
        m = found.merge(self._restorations(), on="case_id", how="left")
        m["ok"] = (m["r"] >= m["action_date"]) & (m["r"] <= m["action_date"] + pd.Timedelta(days=7))
        ok = m.groupby(["case_id", "asset_id"])["ok"].any()
        f = found.set_index(["case_id", "asset_id"])["action_date"]
        bad = ~ok.reindex(f.index).fillna(False) & (f + pd.Timedelta(days=7) < self.as_of)
        return {(c, "ZB-12", a) for c, a in f.index[bad.to_numpy()]}

    def deadlines(self) -> set[Key]:
        return self._zb13() | self._zb16() | self._zb21()

    def _first_after(self, first: str, then: str, same_asset: bool) -> pd.DataFrame:
        """Each ``first`` action with the date of the case's first ``then`` action on or after it
        (for the same asset where the first one names an asset and ``same_asset``)."""
        a = self._acts_of(first)[["case_id", "action_date", "asset_id"]].reset_index(drop=True)
        a["row"] = a.index
        b = self._acts_of(then)[["case_id", "action_date", "asset_id"]]
        m = a.merge(b, on="case_id", how="left", suffixes=("", "_b"))
        keep = m["action_date_b"] >= m["action_date"]
        if same_asset:
            keep &= m["asset_id"].isna() | (m["asset_id"] == m["asset_id_b"])
        a["then"] = m[keep].groupby("row")["action_date_b"].min().reindex(a["row"]).to_numpy()
        return a

    def _late(self, a: pd.DataFrame, limit: int) -> pd.Series:
        gap = pd.Timedelta(days=limit)
        return ((a["then"].notna() & (a["then"] - a["action_date"] > gap))
                | (a["then"].isna() & (a["action_date"] + gap < self.as_of)))  # fmt: skip

    def _zb13(self) -> set[Key]:
        a = self._first_after("财产线索提交", "财产线索核查", same_asset=True)
        a = a[self._late(a, 7)]
        return {(c, "ZB-13", x if isinstance(x, str) else None)
                for c, x in zip(a["case_id"], a["asset_id"], strict=True)}  # fmt: skip

    def _zb16(self) -> set[Key]:
        a = self._first_after("案款到账", "案款发放", same_asset=False)
        return self._cases(set(a.loc[self._late(a, 30), "case_id"]), "ZB-16")

    def _zb21(self) -> set[Key]:
        done = self._acts_of("执行完毕").groupby("case_id")["action_date"].min()
        fin = self.cases.set_index("case_id")
        c = done.reindex(fin.index)
        c = c.fillna(fin["closing_date"].where(fin["closing_method"] == "执行完毕")).dropna()
        marks = self.acts[self.acts["action_type"].isin({"纳入失信", "删除失信"})]
        m = marks.merge(c.rename("c"), left_on="case_id", right_index=True)
        upto = m[m["action_date"] <= m["c"]]
        last_in = upto[upto["action_type"] == "纳入失信"].groupby("case_id")["action_date"].max()
        last_del = upto[upto["action_type"] == "删除失信"].groupby("case_id")["action_date"].max()
        after = m[(m["action_date"] > m["c"]) & (m["action_type"] == "删除失信")]
        next_del = after.groupby("case_id")["action_date"].min()
        st = pd.DataFrame({"c": c, "last_in": last_in, "last_del": last_del, "next": next_del})
        st = st[st["last_in"].notna() & (st["last_del"].isna() | (st["last_in"] > st["last_del"]))]
        due = st["c"] + pd.offsets.BDay(3)
        late = (st["next"].notna() & (st["next"] > due)) | (st["next"].isna() & (due < self.as_of))
        return self._cases(set(st.index[late]), "ZB-21")

    def oversealed(self) -> set[Key]:
        est = self.t["real_estate"][["property_id", "owner_id", "est_value"]]
        seals = self._acts_of("查封")
        seals = seals[seals["asset_id"].isin(est["property_id"])]
        per = seals.groupby(["case_id", "asset_id"], as_index=False)["action_date"].min()
        per = per.merge(est, left_on="asset_id", right_on="property_id")
        agg = per.groupby("case_id").agg(d=("action_date", "max"), n=("asset_id", "size"),
                                         total=("est_value", "sum"))  # fmt: skip
        paid = self._acts_of("案款到账").merge(agg[["d"]], left_on="case_id", right_index=True)
        got = paid[paid["action_date"] <= paid["d"]].groupby("case_id")["amount"].sum()
        cases = self.cases.set_index("case_id").loc[agg.index]
        agg["left"] = cases["amount_claimed"] - got.reindex(agg.index).fillna(0)
        agg["respondent_id"] = cases["respondent_id"]
        over = agg[agg["total"] > 2 * agg["left"]]
        alt = over.reset_index().merge(est, left_on="respondent_id", right_on="owner_id")
        alt = alt[alt["est_value"].between(alt["left"], 2 * alt["left"])]
        sealed = set(zip(per["case_id"], per["asset_id"], strict=True))
        alt = alt[[(c, a) not in sealed for c, a in zip(alt["case_id"], alt["property_id"],
                                                         strict=True)]]  # fmt: skip
        hit = set(over.index[over["n"] >= 2]) | set(alt["case_id"])
        return self._cases(hit, "ZB-17")
