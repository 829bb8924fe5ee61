"""Quantities in running text: prose targets (到2025年，地区生产总值达到9000亿元以上) and past
achievements (全市地区生产总值突破5500亿元).

A paragraph is read sentence by sentence (。；), clause by clause (，：) and segment by segment
(、), ignoring delimiters inside brackets and quotes. Each quantity (a number with a unit, a
fraction such as 三分之二, 翻一番, a round figure in words such as 千名 or “百部”, a travel time such as
半小时, or 清零) is tied to the nearest verb before it in its segment; the
text before the verb is its subject. A segment with a quantity but no verb of its own continues
the previous one (、力争1万亿元), and 分别 pairs a list of subjects with a list of values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planwatch.model import (
    Achievement,
    Comparator,
    Indicator,
    PlanMeta,
    ProseTarget,
    TargetKind,
)
from planwatch.numbers import normalise_quantity, parse_number, parse_numeral_word, parse_year

from .document import Document, halfwidth
from .outline import Outline

UNITS = (
    "个百分点", "百分点", "%", "‰", "万亿元", "亿美元", "万美元", "美元", "亿元", "万元", "元",
    "万平方米", "平方米", "平方公里", "万亩", "亩", "万千瓦", "千瓦", "万吨标煤", "万吨标准煤", "万吨", "吨",
    "微克/立方米", "万立方米", "立方米", "万人次", "人次", "万人", "人", "万户", "户", "万套", "套",
    "公里", "千米", "岁", "年", "倍", "家", "个", "所", "名", "张", "件", "项", "座", "条", "辆", "台",
    "处", "次", "天", "床", "位", "部", "万辆", "万标箱", "标箱", "艘", "层", "册", "场",
)
UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
NUMBER = r"\d+(?:\.\d+)?"
CN_SMALL = "一二三四五六七八九十"
# A figure in words is read only as a round magnitude (百部, 千名, 两千户, 十万人) before a counting word:
# small numerals before a counting word (两个区域医疗中心, 三条生态廊道, 五个分中心) enumerate named things
# rather than commit to a quantity. 百年 (an anniversary) and 每万人 (a rate's base) are not figures.
CN_COUNT_UNITS = "名|部|个|家|所|项|座|条|户|张|套|件|台|辆|处|位|场|册|人"
CN_ROUND = rf"(?<![零一二两三四五六七八九十百千万每])(?P<cn>[一二两三四五六七八九]?[十百千万]+)(?P<cnunit>{CN_COUNT_UNITS})(?!庭|口)"
# A travel-time standard (半小时中心城市至县级城区, 1小时市域通达) commits to a duration at most.
DURATION = r"(?<![\d.])(?P<dur>半|\d+(?:\.\d+)?|[一两二三四五六七八九十]+)(?P<durunit>小时|分钟)"
QUANTITY = re.compile(
    rf"(?<![\d.A-Za-z])(?P<num>{NUMBER})(?:\s*[-—–~～至]\s*(?P<num2>{NUMBER}))?\s*(?P<unit>{UNIT_PATTERN})"
    r"(?P<qual>及以上|及以下|以上|以下|左右|以内)?"
    rf"|(?P<frac>[{CN_SMALL}]+分之[{CN_SMALL}]+)(?P<fqual>以上|以下|左右)?"
    r"|(?P<double>再?翻(?P<times>一|两|二|三)番)"
    # “百部”: a figure alone in quotes is emphasis, not a name (unlike “文化进万家”), so the quotes belong to it.
    rf"|(?P<cnq>“)?{CN_ROUND}(?(cnq)”)"
    rf"|{DURATION}"
    r"|(?P<zero>(?:动态)?清零)"
)
LEVEL_VERBS = ("达到", "达", "突破", "超过", "不少于", "不低于", "不超过", "不高于", "控制在", "保持在", "稳定在",
               "提高到", "提升到", "提高至", "提升至", "降低到", "降低至", "下降到", "下降至", "降至", "降到",
               "升至", "升到", "上升到", "上升至", "增加到", "增至", "实现")
GROWTH_VERBS = ("年均增长", "年均提高", "年均下降", "年均降低", "增长", "提高", "下降", "降低", "减少", "提升",
                "上升")
ACTION_VERBS = ("完成", "培育", "新增", "实施", "建成", "建设", "遴选", "引进", "打造", "创建", "带动", "新认定",
                "认定", "培养", "新建", "招引", "引育", "培训", "改造", "新开工", "开工", "竣工", "新引进", "创作")
VERB = re.compile("|".join(sorted(LEVEL_VERBS + GROWTH_VERBS + ACTION_VERBS, key=len, reverse=True)))
AT_LEAST_VERBS = {"不少于", "不低于", "突破", "超过"}
AT_MOST_VERBS = {"不超过", "不高于", "控制在", "降低到", "降低至", "下降到", "下降至", "降至", "降到"}
LOWER_IS_BETTER = re.compile(r"浓度|失业率|死亡率|发生率|能耗|排放|用水量|耗地|近视率|PM2\.5|比差|倍差")
ASPIRATION = re.compile(r"力争|力求|争取")
SENTENCE = re.compile(r"[^。！？；;!?]+[。！？；;!?]?")
OPEN_BRACKETS = "（(〔[【“‘《"
CLOSE_BRACKETS = "）)〕]】”’》"
QUOTE_MARKS = {"“": "”", "‘": "’", "《": "》"}
LEADING_NOISE = re.compile(
    r"^(?:\s|——|—|[，,、；;：:]|(?:力争|确保|争取)?(?:到|至)(?:\d{4}|[〇○零一二三四五六七八九]{4})年底?[，,]?"
    r"|展望(?:\d{4}|[〇○零一二三四五六七八九]{4})年[，,]?"
    r"|(?:全市|全省|全县|全区|全州|全盟|我市|我省|我县|我区|本市)(?=\S{2})|力争|力求|争取|努力|确保|其中|并且|累计"
    r"|进一步|有望|预计)+"
)
TRAILING_NOISE = re.compile(r"(?:累计|力争|分别|总计|合计|有望|预计|稳步|持续|进一步|已经|已|的)+$")
TARGET_YEAR = re.compile(r"(?:到|至|展望|力争到|确保到)(?P<year>(?:19|20|21)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})年")
BASE_OF_RELATIVE = re.compile(r"在(?P<year>(?:19|20|21)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})年(?:的)?基础上")
VISION_OPENING = re.compile(r"^\s*(?:——)?展望(?P<year>(?:19|20|21)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})年")
PAST_TENSE = re.compile(r"已经|已(?!有)|实现了|取得了|达到了|完成了|突破了|连续[\d一二三四五六七八九十]+年|截至|截止|比上年|同比")
RATIO_SUBJECT = re.compile(r"(?:率|比重|比例|占比|系数|覆盖率|指数)$")
PIPE_ROW = re.compile(r"\|.*\|")
REVIEW_HEADING = re.compile(r"成就|回顾|成绩|取得|成效|发展基础|总结")
GOALS_HEADING = re.compile(r"主要目标|发展目标|目标任务")
TIMES = {"一": 2.0, "两": 4.0, "二": 4.0, "三": 8.0}
# What a travel-time standard is of ends before 的 and without the network word (…的现代化交通网络体系).
DURATION_SUBJECT_END = re.compile(r"(?:的.*|网络体系|网络|交通圈|圈)$")
# 清零 counts the subject's members; the unit they are counted in, when the subject says what they are.
CLEARED_VERB = re.compile(r"(?:实现|基本|全面|动态)+$")
COUNTED_IN = {"家庭": "户", "户": "户", "企业": "家", "村": "个", "人员": "人", "人口": "人"}


@dataclass
class Statement:
    """One quantity read from a sentence, with what it says about it."""

    line: int
    start: int
    end: int
    quote_start: int
    subject: str
    value: float | None
    value_max: float | None
    unit: str | None
    comparator: Comparator | None
    qualifier: str | None
    aspirational: bool
    kind: TargetKind
    year: int | None = None
    year_explicit: bool = False
    base_year: int | None = None
    past: bool = False
    markers: list[str] = field(default_factory=list)


def year_value(text: str) -> int:
    """A four-digit year written in Arabic or Chinese digits (the patterns only match such years)."""
    year = parse_year(text)
    if year is None:  # a pattern matched something that is not a year: a bug in the pattern, not in the input
        raise ValueError(f"not a year: {text!r}")
    return year


def depth_marks(text: str) -> tuple[list[int], list[bool]]:
    """Per character: bracket depth, and whether it sits inside quotes (“…” 《…》)."""
    depth: list[int] = []
    quoted: list[bool] = []
    quotes: list[str] = []
    level = 0
    for char in text:
        if char in CLOSE_BRACKETS:
            level = max(0, level - 1)
            if quotes and char == quotes[-1]:
                quotes.pop()
        depth.append(level)
        quoted.append(bool(quotes))
        if char in OPEN_BRACKETS:
            level += 1
            if char in QUOTE_MARKS:
                quotes.append(QUOTE_MARKS[char])
    return depth, quoted


def pieces(text: str, start: int, end: int, delimiters: str, depth: list[int]) -> list[tuple[int, int]]:
    """(start, end) spans of text[start:end] split at delimiters outside brackets."""
    spans, begin = [], start
    for index in range(start, end):
        if text[index] in delimiters and depth[index] == 0:
            spans.append((begin, index))
            begin = index + 1
    spans.append((begin, end))
    return [(s, e) for s, e in spans if e > s]


def clean_subject(text: str) -> tuple[str, list[str]]:
    """A subject without leading time phrases and adverbs; the markers removed (累计, 力争…)."""
    markers = [m for m in ("力争", "累计") if m in text]
    previous = None
    while previous != text:
        previous = text
        text = LEADING_NOISE.sub("", text)
        text = TRAILING_NOISE.sub("", text.strip(" ，,、；;：:。！？!?")).strip(" ，,、；;：:。！？!?")
    return text, markers


def split_subjects(text: str) -> list[str]:
    """Subjects listed before 分别 (风电、光伏发电并网容量), sharing a trailing measure noun."""
    parts = [p for p in re.split(r"[、和及与]", text) if p]
    shared = re.search(r"(并网容量|装机容量|容量|规模|总量|增加值|总额|数量|人数)$", parts[-1]) if parts else None
    if shared and len(parts) > 1:
        parts = [p if p.endswith(shared.group(1)) else p + shared.group(1) for p in parts[:-1]] + [parts[-1]]
    return parts


def quantity_values(match: re.Match) -> tuple[float | None, float | None, str | None, str | None]:
    """(value, value_max, unit, qualifier) of a quantity match."""
    if match.group("cn"):
        return parse_numeral_word(match.group("cn")), None, match.group("cnunit"), None
    if match.group("dur"):
        return parse_numeral_word(match.group("dur")), None, match.group("durunit"), None
    if match.group("zero"):
        return 0.0, None, None, None
    if match.group("double"):
        return TIMES[match.group("times")], None, "倍", match.group("double").lstrip("再")
    if match.group("frac"):
        frac = match.group("frac")
        value = parse_number(frac)
        return (round(value, 4) if value is not None else None), None, None, frac + (match.group("fqual") or "")
    value = float(match.group("num"))
    value_max = float(match.group("num2")) if match.group("num2") else None
    return value, value_max, match.group("unit"), match.group("qual")


def is_year(match: re.Match) -> bool:
    """Whether a number-with-unit is really a calendar year (2025年)."""
    return match.group("unit") == "年" and "." not in match.group("num") and 1900 <= int(match.group("num")) <= 2100


def comparator_of(verb: str, subject: str, qualifier: str | None, value_max: float | None,
                  frac_qualifier: str | None = None) -> Comparator:
    """The comparison a phrase states (以上 → at least, 左右 → about, 1-2 → between …)."""
    qual = qualifier or frac_qualifier or ""
    if value_max is not None:
        return Comparator.between
    if qual.endswith("以上"):
        return Comparator.at_least
    if qual.endswith(("以下", "以内")):
        return Comparator.at_most
    if qual.endswith("左右"):
        return Comparator.about
    if verb in AT_LEAST_VERBS:
        return Comparator.at_least
    if verb in AT_MOST_VERBS or LOWER_IS_BETTER.search(subject):
        return Comparator.at_most
    return Comparator.at_least


def kind_of(verb: str, match: re.Match) -> TargetKind:
    """Level, annual growth, or a five-year change, from the verb before the value."""
    if verb.startswith("年均"):
        return TargetKind.annual_growth
    if verb in GROWTH_VERBS and match.group("unit") in ("%", "个百分点", "百分点"):
        return TargetKind.cumulative_change
    return TargetKind.level


class _SentenceReader:
    """Reads the statements of one sentence."""

    def __init__(self, text: str, line: int, depth: list[int], quoted: list[bool]):
        self.text, self.line, self.depth, self.quoted = text, line, depth, quoted
        self.statements: list[Statement] = []

    def read(self, start: int, end: int) -> list[Statement]:
        for clause_start, clause_end in pieces(self.text, start, end, "，,：:", self.depth):
            self.read_clause(clause_start, clause_end)
        return self.statements

    def quantities(self, start: int, end: int) -> list[re.Match]:
        found = []
        for match in QUANTITY.finditer(self.text, start, end):
            if self.quoted[match.start()] or (match.group("num") and is_year(match)):
                continue
            found.append(match)
        return found

    def read_clause(self, start: int, end: int) -> None:
        segments = pieces(self.text, start, end, "、", self.depth)
        previous: Statement | None = None
        paired: list[str] = []
        for match in self.quantities(start, end):
            segment = next((s, e) for s, e in segments if s <= match.start() < e)
            statement = self.statement(match, (start, end), segment, previous, paired)
            if statement is not None:
                self.statements.append(statement)
                previous = statement

    def statement(self, match: re.Match, clause: tuple[int, int], segment: tuple[int, int],
                  previous: Statement | None, paired: list[str]) -> Statement | None:
        """The statement a quantity makes, or None when it is no commitment (a name, an age range)."""
        text = self.text
        seg_start, seg_end = segment
        before = text[seg_start: match.start()]
        verbs = list(VERB.finditer(text, seg_start, match.start()))
        value, value_max, unit, qualifier = quantity_values(match)
        aspirational = bool(ASPIRATION.search(before))
        if match.group("dur"):
            return self.duration(match, segment, value, unit, aspirational)
        if match.group("zero"):
            return self.cleared(match, segment, before, aspirational)
        if match.group("double"):
            return self.relative(match, segment, before, previous, value, unit, qualifier, aspirational)
        if verbs:
            return self.after_verb(match, clause, segment, verbs[-1], paired, value, value_max, unit, qualifier)
        if previous is not None and not ASPIRATION.sub("", before).strip(" ，,、"):
            is_pair = bool(paired)
            subject = paired.pop(0) if paired else previous.subject
            comparator = (comparator_of("", subject, qualifier, value_max) if qualifier or value_max is not None
                          else previous.comparator)
            quote = clause if is_pair else segment
            return self.make(match, quote, subject, value, value_max, unit, comparator, qualifier,
                             aspirational or (previous.aspirational and is_pair), previous.kind, [])
        if not before.strip(" ，,、—"):  # number first: 70%以上村庄实现景区化创建任务
            subject, markers = clean_subject(text[match.end(): seg_end].lstrip("的"))
            if subject and (qualifier or unit in ("%", None)):
                return self.make(match, segment, subject, value, value_max, unit,
                                 comparator_of("", subject, qualifier, value_max), qualifier, aspirational,
                                 TargetKind.level, markers)
            return None
        if qualifier or RATIO_SUBJECT.search(before.rstrip()):
            subject, markers = clean_subject(before)
            return self.make(match, segment, subject, value, value_max, unit,
                             comparator_of("", subject, qualifier, value_max), qualifier, aspirational,
                             TargetKind.level, markers)
        return None

    def duration(self, match, segment, value, unit, aspirational) -> Statement | None:
        """A travel-time standard: 构建半小时中心城市至县级城区 → 中心城市至县级城区, at most 0.5 小时."""
        after = self.text[match.end(): segment[1]].rstrip(" ，,、；;：:。！？!?")
        subject = clean_subject(DURATION_SUBJECT_END.sub("", after))[0]
        return self.make(match, segment, subject, value, None, unit, Comparator.at_most, None, aspirational,
                         TargetKind.level, [])

    def cleared(self, match, segment, before, aspirational) -> Statement | None:
        """Brought to zero and kept there: 确保零就业家庭动态清零 → 零就业家庭, at most 0 户."""
        subject, markers = clean_subject(CLEARED_VERB.sub("", before))
        unit = next((u for noun, u in COUNTED_IN.items() if subject.endswith(noun)), None)
        return self.make(match, segment, subject, 0.0, None, unit, Comparator.at_most, None, aspirational,
                         TargetKind.level, markers)

    def relative(self, match, segment, before, previous, value, unit, qualifier, aspirational) -> Statement | None:
        """A relative target: 在2025年的基础上力争再翻一番."""
        base = BASE_OF_RELATIVE.search(before)
        base_year = year_value(base.group("year")) if base else None
        if base:
            before = before[: base.start()] + before[base.end():]
        subject, markers = clean_subject(before)
        if not subject and previous is not None:
            subject = previous.subject
        return self.make(match, segment, subject, value, None, unit, Comparator.at_least, qualifier, aspirational,
                         TargetKind.level, markers, base_year=base_year)

    def after_verb(self, match, clause, segment, verb, paired, value, value_max, unit, qualifier) -> Statement | None:
        """A statement with its own verb: subject 达到 value, or verb value object (培育80个康养联合体)."""
        text = self.text
        seg_start, seg_end = segment
        verb_text = verb.group()
        pre = text[seg_start: verb.start()]
        quote = segment
        if "分别" in pre or (not pre.strip() and "分别" in text[clause[0]: verb.start()]):
            quote = clause
            pre = text[clause[0]: verb.start()].replace("分别", "")
            names = split_subjects(clean_subject(pre)[0])
            paired[:] = names[1:]
            pre = names[0] if names else ""
        middle = text[verb.end(): match.start()]
        subject, markers = clean_subject(pre)
        if verb_text in ACTION_VERBS:
            after = text[match.end(): seg_end]
            # 创作迎接建党百年“百部”文艺精品: the quoted figure stands inside the object, which runs on after it.
            spoken = middle + after if match.group("cnq") else (middle if middle.strip() else after)
            obj = clean_subject(spoken)[0]
            subject = subject + verb_text + obj
        elif middle.strip():
            if middle.rstrip().endswith("的") and unit == "%":
                subject = f"{subject}占{middle.rstrip()[:-1]}比重"
            else:
                subject = subject + verb_text + middle.strip()
        aspirational = bool(ASPIRATION.search(text[quote[0]: match.start()]))
        return self.make(match, quote, subject, value, value_max, unit,
                         comparator_of(verb_text, subject, qualifier, value_max), qualifier, aspirational,
                         kind_of(verb_text, match), markers)

    def make(self, match: re.Match, quote: tuple[int, int], subject: str, value, value_max, unit, comparator,
             qualifier, aspirational: bool, kind: TargetKind, markers: list[str], *,
             base_year: int | None = None) -> Statement | None:
        """A Statement, or None without a subject."""
        if not subject:
            return None
        words = (["力争"] if aspirational else []) + [m for m in markers if m == "累计"]
        if qualifier:
            words.append(qualifier)
        return Statement(line=self.line, start=match.start(), end=quote[1], quote_start=quote[0], subject=subject,
                         value=value, value_max=value_max, unit=unit, comparator=comparator,
                         qualifier="、".join(words) or None, aspirational=aspirational, kind=kind,
                         base_year=base_year, markers=markers)


def statements_of_line(text: str, line: int) -> list[Statement]:
    """All quantity statements of one paragraph, each with its explicit target year when written."""
    if not QUANTITY.search(text):  # most paragraphs name no quantity: skip the character walk
        return []
    depth, quoted = depth_marks(text)
    found: list[Statement] = []
    vision = VISION_OPENING.match(text)
    for sentence in SENTENCE.finditer(text):
        reader = _SentenceReader(text, line, depth, quoted)
        for statement in reader.read(sentence.start(), sentence.end()):
            statement.past = bool(PAST_TENSE.search(text[statement.quote_start: statement.end]))
            years = [m for m in TARGET_YEAR.finditer(text, 0, statement.start)]
            if years:
                statement.year, statement.year_explicit = year_value(years[-1].group("year")), True
            elif vision:
                statement.year, statement.year_explicit = year_value(vision.group("year")), True
            found.append(statement)
    return found


def review_chapters(outline: Outline) -> set[str]:
    """Ids of chapters that review the past: by heading words, or standing before the goals chapter."""
    chapters = [n for n in outline.nodes if n.kind == "chapter"]
    review = {c.id for c in chapters if REVIEW_HEADING.search(c.title)}
    goals_line = next((n.line for n in outline.nodes if n.kind in ("chapter", "section")
                       and GOALS_HEADING.search(n.title)), None)
    if goals_line is not None:
        goal_chapter = next((c for c in chapters if c.line <= goals_line <= c.line_end), None)
        if goal_chapter is not None:
            review |= {c.id for c in chapters if c.line < goal_chapter.line}
    return review


@dataclass
class ProseResult:
    """Targets and achievements read from the prose, plus the lines of unreadable table-like rows."""

    targets: list[ProseTarget]
    achievements: list[Achievement]
    pipe_rows: list[int]


def printed_slice(doc: Document, line: int, start: int, end: int) -> str:
    """The printed text between two offsets of a normalised line, trimmed of separators."""
    return doc.printed(line, start, end).strip(" \t，,、；;。：:！？!?")


def normalised_quantity(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    """A value in the normalised unit (1.6 万亿元 → 16000 亿元)."""
    if value is None or unit is None:
        return value, unit
    return normalise_quantity(value, unit)


def indicator_names(indicators: list[Indicator], meta: PlanMeta) -> dict[str, str]:
    """Normalised indicator name → id, for the current plan's indicators."""
    current = [i for i in indicators if meta.period_end and i.period_end == meta.period_end] or indicators
    names: dict[str, str] = {}
    for indicator in current:
        names.setdefault(name_key(indicator.name), indicator.id)
    return names


def name_key(name: str) -> str:
    """A name reduced for matching: half-width, no spaces, no row marks (#)."""
    return re.sub(r"[\s#＃]", "", halfwidth(name))


def read_prose(doc: Document, outline: Outline, meta: PlanMeta, indicators: list[Indicator],
               skip_lines: set[int]) -> ProseResult:
    """Prose targets and achievements of a document (tables, headings and skip_lines left out)."""
    review = review_chapters(outline)
    names = indicator_names(indicators, meta)
    targets: list[ProseTarget] = []
    achievements: list[Achievement] = []
    pipe_rows: list[int] = []
    for number in range(doc.header_lines + 1, len(doc.lines) + 1):
        text = doc.lines[number - 1]
        if not text.strip() or number in skip_lines or number in outline.heading_lines or outline.in_table(number):
            continue
        if PIPE_ROW.search(text):
            pipe_rows.append(number)
            continue
        chapter = outline.chapter_at(number)
        in_review = chapter is not None and chapter.id in review
        node = outline.node_at(number)
        for statement in statements_of_line(text, number):
            if in_review or statement.past:
                achievements.append(achievement_of(doc, statement, node, meta))
            else:
                targets.append(target_of(doc, statement, node, meta, names))
    return ProseResult(targets=targets, achievements=achievements, pipe_rows=pipe_rows)


def target_of(doc: Document, s: Statement, node, meta: PlanMeta, names: dict[str, str]) -> ProseTarget:
    """A ProseTarget from a statement; the year defaults to the plan's last year."""
    value_n, unit_n = normalised_quantity(s.value, s.unit)
    value_max_n = normalised_quantity(s.value_max, s.unit)[0] if s.value_max is not None else None
    if s.unit is None and s.value is not None and s.qualifier and "分之" in s.qualifier:
        value_n, unit_n = round(s.value * 100, 2), "%"
    key = name_key(s.subject)
    indicator = names.get(key) or (names.get(key + "年均增长") if s.kind == TargetKind.annual_growth else None)
    return ProseTarget(
        subject=s.subject, comparator=s.comparator, value=s.value, value_max=s.value_max, unit=s.unit,
        unit_normalised=unit_n, value_normalised=value_n, value_max_normalised=value_max_n,
        year=s.year or meta.period_end, qualifier=s.qualifier, aspirational=s.aspirational, kind=s.kind,
        section=node.id if node else None, section_title=node.title if node else None, line=s.line,
        quote=printed_slice(doc, s.line, s.quote_start, s.end), indicator=indicator, base_year=s.base_year,
        year_explicit=s.year_explicit,
    )


def achievement_of(doc: Document, s: Statement, node, meta: PlanMeta) -> Achievement:
    """An Achievement from a statement; the year defaults to the base year (end of the last plan)."""
    return Achievement(subject=s.subject, value=s.value, unit=s.unit, comparator=s.comparator,
                       year=s.year or meta.base_year, section=node.id if node else None, line=s.line,
                       quote=printed_slice(doc, s.line, s.quote_start, s.end))
