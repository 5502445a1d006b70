"""The report's charts, drawn with matplotlib into inline SVG.

Why matplotlib SVG rather than Vega-Lite: the page must open with no network,
and Vega-Lite would need ~1 MB of vendored JavaScript in the repository and in
every report; SVG from matplotlib is a few tens of kB per chart, needs no
script (so no console errors), prints well, and glyphs are drawn as paths so
the chart looks the same in every browser.  Each function takes plain rows (as
read from the marts) and returns one ``<svg>`` element as text.
"""

from __future__ import annotations

import functools
import io
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import matplotlib
import numpy
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import AutoLocator, FuncFormatter

RATINGS = ("Missing", "Approaches", "Meets", "Exceeds")
# Red → green, distinguishable in grey scale and by the common colour-vision deficiencies (ColorBrewer RdYlGn ends).
RATING_COLOURS = ("#d7301f", "#fdae61", "#a6d96a", "#1a9641")
RATING_TEXT_COLOURS = ("white", "black", "black", "white")
BUDGET_COLOUR, DELIVERED_COLOUR = "#9ecae1", "#08519c"
IMPROVED_COLOUR, REGRESSED_COLOUR = "#1a9641", "#d7301f"
TIMEFRAME_COLOURS = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#756bb1", "#9e9ac8", "#bcbddc")
CHANGE_MARK = {"improved": " ▲", "regressed": " ▼"}


def _plain_text(draw: Callable[..., str]) -> Callable[..., str]:
    """Draw with every label taken as plain text (a Text object reads the setting when it is made).

    Labels are report text ("US$ 2.1 million … US$ 0.4 million"): two dollar signs must not start TeX math,
    which would set the words between them in italics or fail on a backslash.
    """

    @functools.wraps(draw)
    def drawn(*args, **kwargs) -> str:
        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return drawn


def _svg(figure: Figure, chart_id: str, label: str) -> str:
    """The figure as an inline ``<svg>`` element, ids unique to ``chart_id`` and labelled for screen readers."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart_id, "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Matplotlib's ids (clip paths, glyphs) repeat across figures; inline SVGs share one id space.
    svg = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r'(href="|url\()#([^")]+)', rf"\1#{chart_id}-\2", svg)
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


@_plain_text
def rating_heatmap(chart_id: str, country: str, cells: Sequence[dict]) -> str:
    """Indicators (rows, by dimension) × assessment years (columns), coloured and labelled by rating.

    ``cells``: rows of rpt_indicator_rating_matrix for one country.
    """
    years = sorted({c["assessment_year"] for c in cells})
    indicators = sorted(
        {(c["dimension_no"], c["pi_code"], c["pi_name"]) for c in cells},
        key=lambda item: (item[0], code_order(item[1])),
    )
    by_key = {(c["pi_code"], c["assessment_year"]): c for c in cells}
    grid = [
        [by_key[(code, year)]["rating_score"] if (code, year) in by_key else float("nan") for year in years]
        for _, code, _ in indicators
    ]

    # At least two years' width: one year's column alone would be a thin strip beside the indicator names.
    figure = Figure(figsize=(4.2 + 1.35 * max(len(years), 2), 0.42 * len(indicators) + 1.6), layout="constrained")
    axes = figure.subplots()
    cmap = ListedColormap(RATING_COLOURS).with_extremes(bad="#f0f0f0")
    # pcolormesh, not imshow: cells stay vector shapes (imshow would embed a bitmap in the SVG).
    axes.pcolormesh(
        numpy.ma.masked_invalid(numpy.array(grid, dtype=float)),
        cmap=cmap,
        norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N),
        edgecolors="white",
        linewidth=2,
    )
    axes.invert_yaxis()
    for row, (_, code, _) in enumerate(indicators):
        for column, year in enumerate(years):
            cell = by_key.get((code, year))
            if cell is None:
                axes.text(column + 0.5, row + 0.5, "not loaded", ha="center", va="center", fontsize=8, color="#777777")
                continue
            text = cell["rating"] + CHANGE_MARK.get(cell["change"], "") + ("" if cell["reassessed"] else " (c/o)")
            axes.text(
                column + 0.5,
                row + 0.5,
                text,
                ha="center",
                va="center",
                fontsize=8.5,
                color=RATING_TEXT_COLOURS[cell["rating_score"]],
            )
    axes.set_xticks([x + 0.5 for x in range(len(years))], [str(year) for year in years])
    axes.set_yticks(
        [y + 0.5 for y in range(len(indicators))],
        [f"{code}  {name or ''}" for _, code, name in indicators],
        fontsize=8.5,
    )
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("top")
    axes.set_xlabel("Assessment year")
    axes.tick_params(which="both", length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    figure.legend(
        handles=[Patch(color=colour, label=rating) for rating, colour in zip(RATINGS, RATING_COLOURS, strict=True)],
        loc="outside lower center",
        ncols=4,
        frameon=False,
        fontsize=8.5,
        title="▲ improved / ▼ regressed since the previous assessment;  (c/o) carried over, not reassessed",
        title_fontsize=8,
    )
    figure.suptitle(f"UNCT-SWAP indicator ratings — {country}", fontsize=11, fontweight="bold")
    return _svg(figure, chart_id, f"Heatmap of indicator ratings by assessment year for {country}")


@_plain_text
def rating_changes(chart_id: str, country: str, year: int, previous_year: int, changes: Sequence[dict]) -> str:
    """Score change per indicator between ``previous_year`` and ``year`` (one bar per indicator, 0 = unchanged)."""
    rows = sorted(changes, key=lambda c: code_order(c["pi_code"]), reverse=True)
    figure = Figure(figsize=(7.5, 0.32 * len(rows) + 1.4))
    axes = figure.subplots()
    values = [c["score_change"] or 0 for c in rows]
    colours = [IMPROVED_COLOUR if v > 0 else REGRESSED_COLOUR if v < 0 else "#bdbdbd" for v in values]
    positions = range(len(rows))
    axes.barh(positions, values, color=colours, height=0.6)
    for position, change in enumerate(rows):
        if change["score_change"]:
            side = 1 if change["score_change"] > 0 else -1
            axes.text(
                change["score_change"] + 0.05 * side,
                position,
                f"{change['previous_rating']} → {change['rating']}",
                ha="left" if side > 0 else "right",
                va="center",
                fontsize=8,
            )
    axes.set_yticks(list(positions), [f"{c['pi_code']}  {c['pi_name'] or ''}" for c in rows], fontsize=8.5)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlim(-3.5, 3.5)
    axes.set_xticks([-3, -2, -1, 0, 1, 2, 3])
    axes.set_xlabel("Change in rating levels (Missing 0 · Approaches 1 · Meets 2 · Exceeds 3)")
    axes.set_title(f"Rating changes {previous_year} → {year} — {country}", fontsize=11, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, chart_id, f"Bar chart of rating changes from {previous_year} to {year} for {country}")


def _millions(value: float, _position=None) -> str:
    return f"{value / 1e6:,.1f}"


@_plain_text
def budget_delivery(chart_id: str, office: str, rows: Sequence[dict]) -> str:
    """Budget and delivered US$ per period and year, with the delivery rate over each pair of bars."""
    labels = [
        f"{r['period_start']}–{r['period_end']}\n(whole period)" if r["scope"] == "period" else str(r["period_start"])
        for r in rows
    ]
    figure = Figure(figsize=(max(5.0, 1.5 * len(rows) + 2.5), 4.2))
    axes = figure.subplots()
    width = 0.38
    positions = list(range(len(rows)))
    budgets = [r["budget_usd"] or 0 for r in rows]
    delivered = [r["delivered_usd"] or 0 for r in rows]
    axes.bar([p - width / 2 for p in positions], budgets, width, color=BUDGET_COLOUR, label="Budget")
    axes.bar([p + width / 2 for p in positions], delivered, width, color=DELIVERED_COLOUR, label="Delivered")
    top = max(budgets + delivered + [1])
    for position, row in enumerate(rows):
        rate = row["delivery_rate"] if row["delivery_rate"] is not None else row["stated_delivery_rate"]
        if rate is None:
            note = "delivery not stated"
        else:
            note = f"{rate:.1%} delivered"
            if row["stated_delivery_rate"] is not None and row["delivery_rate"] is not None:
                note += f"\n(stated {row['stated_delivery_rate']:.0%})"
        axes.text(
            position,
            max(budgets[position], delivered[position]) + top * 0.03,
            note,
            ha="center",
            va="bottom",
            fontsize=8.5,
        )
    axes.set_xticks(positions, labels, fontsize=9)
    axes.set_ylim(0, top * 1.3)
    axes.yaxis.set_major_formatter(FuncFormatter(_millions))
    axes.set_ylabel("US$ million")
    axes.set_title(f"Budget vs delivered — {office}", fontsize=11, fontweight="bold")
    axes.legend(frameon=False, loc="upper right")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, chart_id, f"Bar chart of budget and delivered amounts by period for {office}")


@_plain_text
def donor_portfolio(chart_id: str, title: str, donors: Sequence[dict]) -> str:
    """The evaluated entity's share per donor (dark) against the programmes' whole budgets (light)."""
    rows = sorted(donors, key=lambda d: d["entity_share_usd"] or 0)
    figure = Figure(figsize=(8.0, 0.55 * len(rows) + 1.5))
    axes = figure.subplots()
    positions = list(range(len(rows)))
    axes.barh(
        positions,
        [d["total_budget_usd"] or 0 for d in rows],
        height=0.7,
        color=BUDGET_COLOUR,
        label="Whole programme budget",
    )
    axes.barh(
        positions,
        [d["entity_share_usd"] or 0 for d in rows],
        height=0.4,
        color=DELIVERED_COLOUR,
        label="Evaluated entity's share",
    )
    for position, donor in enumerate(rows):
        end = max(donor["total_budget_usd"] or 0, donor["entity_share_usd"] or 0)
        projects = f"{donor['n_projects']} project" + ("s" if donor["n_projects"] != 1 else "")
        axes.text(
            end, position, f"  US${(donor['entity_share_usd'] or 0) / 1e6:,.2f}M · {projects}", va="center", fontsize=8
        )
    axes.set_yticks(positions, [d["donor"] for d in rows], fontsize=8.5)
    axes.xaxis.set_major_formatter(FuncFormatter(_millions))
    axes.set_xlabel("US$ million")
    largest = max([max(d["total_budget_usd"] or 0, d["entity_share_usd"] or 0) for d in rows] + [1])
    axes.set_xlim(0, largest * 1.45)
    axes.set_title(f"Project portfolio by donor — {title}", fontsize=11, fontweight="bold")
    axes.legend(frameon=False, loc="lower right", fontsize=8.5)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, chart_id, f"Bar chart of the project portfolio by donor for {title}")


@_plain_text
def recommendations_by_priority(chart_id: str, title: str, groups: Sequence[dict]) -> str:
    """Recommendations per priority, stacked by timeframe (immediate first, then by year, then as printed)."""
    priorities = [p for _, p in sorted({(g["priority_order"], g["priority"]) for g in groups}, reverse=True)]
    timeframes = [
        label
        for *_, label in sorted(
            {(g["timeframe_order"], g["timeframe_start_year"] or 0, g["timeframe_label"]) for g in groups}
        )
    ]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for g in groups:
        counts[(g["priority"], g["timeframe_label"])] += g["n_recommendations"]
    figure = Figure(figsize=(8.0, 0.7 * len(priorities) + 1.9))
    axes = figure.subplots()
    left = [0] * len(priorities)
    for index, timeframe in enumerate(timeframes):
        values = [counts[(priority, timeframe)] for priority in priorities]
        colour = TIMEFRAME_COLOURS[index % len(TIMEFRAME_COLOURS)]
        bars = axes.barh(range(len(priorities)), values, left=left, color=colour, label=timeframe, height=0.6)
        text_colour = "white" if index < 2 else "black"
        axes.bar_label(
            bars, labels=[str(v) if v else "" for v in values], label_type="center", color=text_colour, fontsize=9
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(range(len(priorities)), [f"{p} priority" for p in priorities])
    axes.set_xlabel("Recommendations")
    counts_only = AutoLocator()  # matplotlib's default ticks, at whole numbers: the axis counts recommendations
    counts_only.set_params(integer=True)
    axes.xaxis.set_major_locator(counts_only)
    axes.set_title(f"Recommendations by priority and timeframe — {title}", fontsize=11, fontweight="bold")
    axes.legend(title="Timeframe", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, chart_id, f"Stacked bar chart of recommendations by priority and timeframe for {title}")


def code_order(code: str) -> tuple[int, bool, int | str]:
    """Indicator codes in the frameworks' order: "1.2" before "1.10", numbered ones before lettered ("1.a")."""
    dimension, _, indicator = code.partition(".")
    return int(dimension), indicator.isalpha(), int(indicator) if indicator.isdigit() else indicator
