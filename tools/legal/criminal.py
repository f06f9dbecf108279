"""Facts of criminal law and procedure that the generator is built to obey and that
`jianlab data verify` checks; the reading of each article is in docs/criminal-data.md.

- 刑事诉讼法第九十一条: the procuratorate decides on a request to approve the arrest of a detained
  suspect within seven days.
- 刑事诉讼法第一百七十二条: 审查起诉 within one month, fifteen more days for 重大、复杂 cases; in
  速裁 cases (认罪认罚, fast-track conditions) within ten days, fifteen where the likely sentence is
  more than one year of imprisonment.
- 刑事诉讼法第一百七十五条: at most two returns for supplementary investigation, one month each;
  the review period restarts after each; 存疑不起诉 follows insufficient evidence after a return.
- 刑事诉讼法第八十一条: arrest requires a likely sentence of 徒刑 or more; 危险驾驶罪
  (刑法第一百三十三条之一) carries at most 拘役, so its suspects are never arrested.
- 刑事诉讼法第二百八十二条: 附条件不起诉 only for minors charged with crimes of 刑法分则 chapters
  4–6 whose likely sentence is at most one year of imprisonment.
- 2018-10-26: the revision of the Criminal Procedure Law (认罪认罚从宽, 速裁程序) took effect.
"""

from __future__ import annotations

ARREST_REVIEW_DAYS = 7
FAST_TRACK_DAYS = 10
FAST_TRACK_LONG_DAYS = 15
MAX_RETURNS = 2
PROCEDURE_REVISION_2018 = "2018-10-26"
NO_IMPRISONMENT_CRIMES = ("危险驾驶",)
# the generator's crimes that belong to 刑法分则 chapter 4 (人身权利), 5 (财产), 6 (社会管理秩序)
CONDITIONAL_CHAPTER_CRIMES = (
    "故意伤害",
    "盗窃",
    "诈骗",
    "寻衅滋事",
    "开设赌场",
    "帮助信息网络犯罪活动",
    "走私、贩卖、运输、制造毒品",
    "掩饰、隐瞒犯罪所得",
)
