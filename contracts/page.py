"""The HTML reports: one self-contained page per run, and an index of the runs of `check all`.

A page holds everything it shows (no external asset), reads without JavaScript (violations are
`<details>`, the matrix's reasons are in the text too) and fits a laptop's width: long lines wrap,
and the matrix of operations × checks scrolls inside its own box if it must. A little script only
adds copy buttons to the curl lines.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from .check import LEVELS, gating
from .report import BASELINED, known_reason, outcome, score, seed_text, stem, violation_id
from .runner import ERROR, FAILED, PASSED, SKIPPED, CheckResult, RunResult
from .violation import Violation
from .visible import visible

_STYLE = """
:root{--ok:#1a7f37;--bad:#cf222e;--known:#9a6700;--skip:#57606a;--line:#d0d7de;font:15px/1.45 system-ui,sans-serif}
body{max-width:72rem;margin:0 auto;padding:1rem 1.25rem;color:#1f2328}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.meta{color:var(--skip);margin:.2rem 0;overflow-wrap:anywhere}
.verdict{display:inline-block;padding:.15rem .6rem;border-radius:1rem;color:#fff;font-weight:600}
.verdict.holds{background:var(--ok)}.verdict.violated{background:var(--bad)}
.scores{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.score{border:1px solid var(--line);border-radius:.5rem;padding:.5rem .8rem;min-width:11rem}
.score b{font-size:1.5rem;display:block}.score small{color:var(--skip)}
.box{overflow-x:auto;max-width:100%}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.25rem .4rem;vertical-align:top}
table.checks{width:100%;table-layout:fixed}table.checks td{overflow-wrap:anywhere}
.matrix th.c{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:normal;
 font-size:.8rem;padding:.3rem .1rem}
.matrix td{text-align:center;width:1.5rem;padding:0;font-weight:700}.matrix td.op{text-align:left;width:auto;
 font-weight:normal;overflow-wrap:anywhere;min-width:10rem;padding:.2rem .4rem}
.matrix a{text-decoration:none;color:inherit;display:block}
.passed,.s-passed{color:var(--ok)}.failed,.s-failed,.error,.s-error{color:var(--bad)}
.baselined,.s-baselined{color:var(--known)}.skipped,.s-skipped{color:var(--skip)}
td.failed,td.error{background:#ffebe9}td.baselined{background:#fff8c5}td.passed{background:#dafbe1}
td.skipped{background:#f6f8fa}
details{border:1px solid var(--line);border-radius:.4rem;margin:.4rem 0;padding:.3rem .6rem}
details[open]{background:#f6f8fa}summary{cursor:pointer;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:7rem minmax(0,1fr);gap:.2rem .6rem;margin:.5rem 0}dt{color:var(--skip)}
dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font:13px/1.4 ui-monospace,monospace;
 background:#fff;border:1px solid var(--line);padding:.3rem .4rem;border-radius:.3rem}
button.copy{float:right;margin:0 0 .2rem .4rem;font-size:.8rem}
.legend span{margin-right:1rem}
"""

# Progressive enhancement: without JavaScript the buttons stay hidden and the text is selectable.
_SCRIPT = """
for (const b of document.querySelectorAll('button.copy')) {
  b.hidden = false;
  b.addEventListener('click', () => {
    const node = document.getElementById(b.dataset.for);
    const done = () => { b.textContent = 'copied'; };
    // Where the clipboard API is refused (file:// pages, no permission), select the text and copy that.
    const select = () => { const r = document.createRange(); r.selectNodeContents(node);
      getSelection().removeAllRanges(); getSelection().addRange(r);
      try { document.execCommand('copy'); } catch (e) {} done(); };
    if (navigator.clipboard) { navigator.clipboard.writeText(node.textContent).then(done, select); }
    else { select(); }
  });
}
"""

_SYMBOL = {PASSED: "✓", FAILED: "✗", BASELINED: "≈", SKIPPED: "–", ERROR: "!"}
_WORD = {PASSED: "pass", FAILED: "fail", BASELINED: "known (baselined)", SKIPPED: "skipped", ERROR: "error"}


def _e(text: str) -> str:
    return html.escape(visible(text))


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>{body}"
        f"<script>{_SCRIPT}</script></body></html>"
    )


def _ordered(run: RunResult) -> list[CheckResult]:
    rank = {level: i for i, level in enumerate(LEVELS)}
    return sorted(run.results, key=lambda r: (rank.get(r.check.level, len(rank)), r.check.name))


def _scores(run: RunResult) -> str:
    cards = []
    for level, s in score(run).items():
        value = "n/a" if s["score"] is None else f"{s['score'] * 100:.0f}%"
        judged = s["passed"] + s["failed"] + s["errors"]
        extra = f", {s['skipped']} skipped" if s["skipped"] else ""
        gate = "gating" if s["gating"] else "not gating"
        cards.append(
            f"<div class='score level-{_e(level)}'><small>{_e(level)} · {gate}</small><b>{value}</b>"
            f"{s['passed']} of {judged} checks pass{extra}</div>"
        )
    return "<div class=scores>" + "".join(cards) + "</div>"


def _header(run: RunResult) -> str:
    holds = run.exit_code == 0
    said = "contract holds" if holds else "contract violated"
    verdict = f"<span class='verdict {'holds' if holds else 'violated'}'>{said}</span>"
    new = sum(1 for r in run.results for v in r.violations if known_reason(run, v) is None)
    known = sum(1 for r in run.results for v in r.violations) - new
    gate = ", ".join(level for level in LEVELS if level in gating(run.gate))
    lines = [
        f"<h1>aicontract · {_e(run.api)} · {_e(run.profile)}</h1>",
        f"<p>{verdict} {new} new violation(s)" + (f", {known} known (baselined)" if known else "") + "</p>",
        f"<p class=meta>target {_e(run.target)} · gate: {gate} · {run.requests} requests in {run.seconds:.1f} s</p>",
        f"<p class=meta>seed: {_e(seed_text(run))}</p>",
    ]
    if run.baseline is not None:
        lines.append(f"<p class=meta>baseline: {_e(run.baseline.path)} ({len(run.baseline.entries)} known)</p>")
    return "".join(lines)


def _documented(run: RunResult) -> set[str] | None:
    """The operations the run's contract documents (None: the contract cannot be loaded here)."""
    from .suites import REGISTRY

    try:
        return {op.name for op in REGISTRY.get(run.api).load_contract(run.profile).operations()}
    except Exception:  # a report of a suite this process does not know still renders, ungrouped
        return None


def _cell(run: RunResult, r: CheckResult, label: str, ops: set[str]) -> str:
    found = [v for v in r.violations if v.operation in ops]
    if r.status in {SKIPPED, ERROR} and not found:
        state, why = r.status, r.reason
    elif found:
        state = FAILED if any(known_reason(run, v) is None for v in found) else BASELINED
        why = found[0].expected
    elif ops & r.operations:
        state, why = PASSED, ""
    else:
        return "<td class=na title='not applicable'></td>"
    title = f"{r.check.name} · {label}: {_WORD[state]}" + (f" — {why}" if why else "")
    mark = _SYMBOL[state]
    if found:
        mark = f"<a href='#{violation_id(run, found[0])}'>{mark}</a>"
    return f"<td class={state} title='{_e(title)}'>{mark}</td>"


def _matrix(run: RunResult) -> str:
    rows = _ordered(run)
    judged = {op for r in rows for op in r.operations}
    if not judged:
        return "<p>No operation was exercised.</p>"
    documented = _documented(run)
    groups = [(op, {op}) for op in sorted(judged if documented is None else judged & documented)]
    others = judged - documented if documented is not None else set()
    if others:  # e.g. methods a path does not document, sent to see them refused
        groups.append((f"undocumented operations ({len(others)})", others))
    head = "".join(f"<th class=c title='{_e(r.check.level)}'>{_e(r.check.name)}</th>" for r in rows)
    body = "".join(
        f"<tr><td class=op>{_e(label)}</td>{''.join(_cell(run, r, label, ops) for r in rows)}</tr>"
        for label, ops in groups
    )
    legend = "".join(f"<span class=s-{state}>{_SYMBOL[state]} {_WORD[state]}</span>" for state in _SYMBOL)
    return (
        f"<p class=legend>{legend}<span>(blank: not applicable)</span></p>"
        f"<div class=box><table class=matrix><thead><tr><th>operation \\ check</th>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _violation(run: RunResult, v: Violation, report_json: str) -> str:
    vid = violation_id(run, v)
    known = known_reason(run, v)
    tag = "<span class=s-baselined>KNOWN</span>" if known else "<span class=s-failed>FAIL</span>"
    rows = [("expected", v.expected), ("got", v.actual)]
    if v.response and v.response != v.actual:
        rows.append(("response", v.response))
    rows.append(("ground", v.ground))
    if known:
        rows.append(("baselined", known))
    fields = "".join(f"<dt>{label}</dt><dd>{_e(text)}</dd>" for label, text in rows if text)
    curl = (
        f"<dt>request</dt><dd><button type=button class=copy data-for='curl-{vid}' hidden>copy</button>"
        f"<pre id='curl-{vid}'>{_e(v.request)}</pre></dd>"
    )
    if v.first_request:
        curl += (
            f"<dt>first case</dt><dd><pre>{_e(v.first_request)}</pre><small>shrunk to the request above</small></dd>"
        )
    replay = f"<dt>replay</dt><dd><pre>aicontract replay {_e(report_json)} {vid}</pre></dd>"
    return (
        f"<details id='{vid}'><summary>{tag} <b>{_e(v.check)}</b> — {_e(v.operation)}: expected {_e(v.expected)}"
        f"</summary><dl>{fields}{curl}{replay}<dt>id</dt><dd>{vid}</dd></dl></details>"
    )


def _checks(run: RunResult) -> str:
    out = []
    for level in LEVELS:
        rows = [r for r in _ordered(run) if r.check.level == level]
        if not rows:
            continue
        gate = "" if level in gating(run.gate) else " (not gating)"
        out.append(
            f"<h3>{_e(level)}{gate}</h3><table class=checks><colgroup><col style='width:30%'>"
            "<col style='width:8rem'><col style='width:8rem'><col></colgroup><thead><tr><th>check</th>"
            "<th>outcome</th><th>requests</th><th>what it judges</th></tr></thead><tbody>"
        )
        for r in rows:
            state = outcome(run, r)
            why = f"<br><i>{_e(r.reason)}</i>" if r.reason else ""
            if r.violations:
                count = len(r.violations) + r.repeats
                why += f"<br><a href='#{violation_id(run, r.violations[0])}'>{count} finding(s) below</a>"
            out.append(
                f"<tr class=row-{state}><td>{_e(r.check.name)}</td><td class=s-{state}>{_WORD[state]}</td>"
                f"<td>{r.requests} · {r.seconds:.1f} s</td><td>{_e(r.check.description)}{why}</td></tr>"
            )
        out.append("</tbody></table>")
    return "".join(out)


def _violations(run: RunResult) -> str:
    report_json = f"{stem(run)}.json"
    out = []
    for r in _ordered(run):
        out += [_violation(run, v, report_json) for v in r.violations]
        if r.repeats:
            out.append(f"<p>… and {r.repeats} more like these for {_e(r.check.name)}</p>")
    return "<h2>Violations</h2>" + "".join(out) if out else ""


def _stale(run: RunResult) -> str:
    if run.baseline is None:
        return ""
    stale = run.baseline.stale(run)
    if not stale:
        return ""
    fails = " They fail this run (--strict-baseline)." if run.baseline.strict else ""
    items = "".join(f"<li>{_e(e.label())}: {_e(e.reason)}</li>" for e in stale)
    said = f"These known violations did not occur: delete them.{fails}"
    return f"<h2>Stale baseline entries</h2><p class=stale>{said}</p><ul class=stale>{items}</ul>"


def run_page(run: RunResult) -> str:
    body = (
        _header(run)
        + _scores(run)
        + "<h2>Operations × checks</h2>"
        + _matrix(run)
        + _stale(run)
        + _violations(run)
        + "<h2>Checks</h2>"
        + _checks(run)
    )
    return _page(f"aicontract · {run.api} · {run.profile}", body)


def index_page(runs: Sequence[RunResult]) -> str:
    rows = []
    for run in runs:
        verdict = "holds" if run.exit_code == 0 else "violated"
        cells = []
        for level in LEVELS:
            s = score(run).get(level)
            cells.append("<td>n/a</td>" if s is None or s["score"] is None else f"<td>{s['score'] * 100:.0f}%</td>")
        new = sum(1 for r in run.results for v in r.violations if known_reason(run, v) is None)
        rows.append(
            f"<tr><td><a href='{_e(stem(run))}.html'>{_e(run.api)}</a></td><td>{_e(run.profile)}</td>"
            f"<td><span class='verdict {verdict}'>{verdict}</span></td>{''.join(cells)}<td>{new}</td></tr>"
        )
    head = "".join(f"<th>{level}</th>" for level in LEVELS)
    worst = max((run.exit_code for run in runs), default=0)
    title = "aicontract · every API"
    body = (
        f"<h1>{title}</h1><p><span class='verdict {'holds' if worst == 0 else 'violated'}'>"
        f"{'every contract holds' if worst == 0 else 'a contract is violated'}</span> · {len(runs)} run(s)</p>"
        "<h2>Conformance per API and profile</h2><div class=box><table class=checks><thead><tr><th>API</th>"
        f"<th>profile</th><th>verdict</th>{head}<th>new violations</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return _page(title, body)
