"""The HTML report in a real browser (headless Chromium): figures load, no table spills at 1280 px.

Chromium comes from the Debian package (``.ci/run`` installs it when missing).
Outside CI the test is skipped when no chromium is installed; in CI (``CI`` set)
a missing browser is a failure, so the check cannot silently disappear.
"""
import json
import os
import shutil
import subprocess
import tempfile
import warnings

import matplotlib.pyplot as plt
import pytest

import cybercult as cc
from cybercult.report import Report, publication_table

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

_PROBE = """<script>
window.addEventListener('load', () => {
  const cw = document.documentElement.clientWidth;
  const out = {
    client_width: cw,
    scroll_width: document.documentElement.scrollWidth,
    images: [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0, alt: i.alt})),
    tables: [...document.querySelectorAll('table')].map(t => {
      const box = (t.closest('.table-wrap') || t).getBoundingClientRect();
      return {right: box.right, wide: t.scrollWidth > box.width + 1,
              caption: t.caption ? t.caption.textContent : ''};
    }),
    captions: [...document.querySelectorAll('figcaption')].map(c => c.textContent),
    lines: [...document.querySelectorAll('p.lines')].map(p => p.getClientRects().length ? p.offsetHeight : 0),
    order: [...document.querySelectorAll('h2')].map(h => h.textContent),
  };
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium_or_skip():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium not installed (Debian package 'chromium')")
    return CHROMIUM


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = cc.build_panel(list(dict.fromkeys(cc.DEFAULT_VARIABLES)), 2020, window=3, sample="hofstede4",
                               outcome="gci2020.score")
        preds = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede.pdi", "hofstede.idv"]
        main = cc.regress(panel.data, "gci2020.score", preds)
        alt = cc.regress(panel.data, "ncsi.score", preds)
    figs = {}
    with cc.style("paper"):
        ax = cc.plot_map(panel.data["gci2020.score"], title="Global Cybersecurity Index 2020")
        figs["map"] = cc.save_figure(ax.figure, folder / "map_outcome", formats=("png",))[0]
        plt.close(ax.figure)
        ax = cc.plot_scatter(panel.data, "hofstede.idv", "gci2020.score", max_labels=5)
        figs["scatter"] = cc.save_figure(ax.figure, folder / "scatter", formats=("png",))[0]
        plt.close(ax.figure)
    rep = Report("Browser check")
    rep.heading("Answer")
    rep.para("Results come first.")
    pub = publication_table([main, alt])
    rep.html_table(pub.to_html(), caption="Publication table")
    rep.figure(figs["map"], "Where commitment is high", "Scores are highest in Europe and East Asia.")
    rep.figure(figs["scatter"], "Individualism and commitment", "More individualist countries score higher.")
    rep.table(main.table, "Main regression, every column (a wide table)")
    rep.appendix()
    rep.heading("Sample")
    rep.para(panel.summary(), keep_lines=True)
    rep.table(panel.audit, "Audit", max_rows=300)
    path = folder / "report.html"
    path.write_text(rep.to_html().replace("</body>", _PROBE + "</body>"))
    return path, panel


def _render(path):
    exe = _chromium_or_skip()
    with tempfile.TemporaryDirectory() as profile:
        res = subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--window-size=1280,900", "--virtual-time-budget=5000", "--dump-dom", path.as_uri()],
            capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    start = res.stdout.index('<pre id="probe">') + len('<pre id="probe">')
    import html

    return json.loads(html.unescape(res.stdout[start:res.stdout.index("</pre>", start)]))


def test_report_renders_figures_and_keeps_tables_inside_1280px(report_html):
    path, panel = report_html
    probe = _render(path)
    assert 1200 <= probe["client_width"] <= 1280  # 1280 less a vertical scroll bar
    assert probe["scroll_width"] <= probe["client_width"]  # the page never scrolls sideways
    assert len(probe["images"]) == 2 and all(i["ok"] for i in probe["images"])
    assert len(probe["tables"]) == 3
    for t in probe["tables"]:
        assert t["right"] <= probe["client_width"], t
    wide = [t for t in probe["tables"] if t["caption"].startswith("Main regression")]
    assert wide and wide[0]["right"] <= 1280  # the 17-column table scrolls in its own box
    assert probe["captions"][0] == "Where commitment is high. Scores are highest in Europe and East Asia."
    # results first, then the appendix
    assert probe["order"][0] == "Answer" and probe["order"][-1].startswith("Appendix")
    # the panel summary keeps its line breaks: its paragraph is as tall as its lines
    n_lines = panel.summary().count("\n") + 1
    assert n_lines > 1 and probe["lines"][0] >= n_lines * 14
