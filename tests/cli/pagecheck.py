"""The scripts of ltk's HTML pages (report_structure.py, compare_structure.py)."""
import base64
import hashlib
import json
import re


def csp_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_scripts(page):
    """(problems, parsed data blocks) of an ltk HTML page: its one inline script
    allowed by its hash in the CSP (or none, and script-src 'none'), JSON data
    blocks that nothing can break out of."""
    bad = []

    def check(cond, what):
        if not cond:
            bad.append(what)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    check(csp is not None and page.index(csp.group(0)) < page.index("<title>"), f"a CSP before the title")
    if not csp:
        return bad, []
    pol = dict(x.strip().split(" ", 1) for x in csp.group(1).split(";") if x.strip())
    check(pol.get("default-src") == "'none'", f"CSP default-src 'none'")
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    check(style is not None and pol.get("style-src") == csp_source(style.group(1)), f"style-src is the style's hash")
    code, data = [], []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
        if attrs == "":
            code.append(body)
        else:
            check(attrs == ' type="application/json" class="ltk-plot"', f"script attributes {attrs!r}")
            check("<" not in body and ">" not in body and "&" not in body, f"a data block with < > or &")
            try:
                data.append(json.loads(body))
            except ValueError as e:
                check(False, f"a data block is not JSON: {e}")
    check(len(code) <= 1, f"at most one inline script, got {len(code)}")
    want = csp_source(code[0]) if code else "'none'"
    check(pol.get("script-src") == want, f"script-src {pol.get('script-src')} is not {want}")
    return bad, data
