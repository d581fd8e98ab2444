"""Hostile HTML and JavaScript payloads, and a check that a rendered page runs none of them."""

from __future__ import annotations

from lxml import html as lxml_html

PAYLOADS = [
    "<script>alert('xss1')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('xss3')>",
    "<svg onload=alert('xss4')>",
    "<svg><script>alert('xss5')</script></svg>",
    "<iframe src=javascript:alert('xss6')></iframe>",
    "<body onload=alert('xss7')>",
    "<a href=\"javascript:alert('xss8')\">click</a>",
    "[click](javascript:alert('xss9'))",
    "[click](JaVaScRiPt:alert('xss10'))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert('xss12'))",
    "<div style=\"background:url(javascript:alert('xss13'))\">x</div>",
    "\"><script>alert('xss14')</script>",
    "'><img src=x onerror=alert('xss15')>",
    "</textarea><script>alert('xss16')</script>",
    "</title><script>alert('xss17')</script>",
    "<math><mi xlink:href=\"javascript:alert('xss18')\">x</mi></math>",
    "<details open ontoggle=alert('xss19')>",
    "<input autofocus onfocus=alert('xss20')>",
    "<object data=\"javascript:alert('xss21')\"></object>",
    "<embed src=\"javascript:alert('xss22')\">",
    "<form action=\"javascript:alert('xss23')\"><button>go</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss24\')">',
    "<base href=\"javascript:alert('xss25')//\">",
    "<link rel=stylesheet href=\"javascript:alert('xss26')\">",
    "<video><source onerror=\"alert('xss27')\"></video>",
    "<marquee onstart=alert('xss28')>x</marquee>",
    "<a href=\"&#106;avascript:alert('xss29')\">x</a>",
    '<img src="x" onerror="&#97;lert(\'xss30\')">',
    "<scr<script>ipt>alert('xss31')</script>",
    "javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert('xss32')//'>",
    "{{ config }}{% raw %}{{7*7}}{% endraw %}",
    "<style>@import 'https://evil.example/x.css';</style>",
]

OUR_SCRIPTS = ("/static/js/",)
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "meta", "frame", "frameset", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}


def active_payloads(page: str) -> list[str]:
    """What in `page` could run: scripts not ours, event handlers, javascript: URLs, ..."""
    tree = lxml_html.fromstring(page)
    found = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "script":
            kind = element.get("type", "")
            src = element.get("src", "")
            if kind == "application/ld+json":
                if "<" in (element.text or ""):
                    found.append("raw markup inside JSON-LD")
                continue
            if not any(src.startswith(prefix) for prefix in OUR_SCRIPTS):
                found.append(f"script: {src or (element.text or '')[:60]}")
        if tag in DANGEROUS_TAGS and not (tag == "meta" and element.get("http-equiv") is None):
            found.append(f"<{tag}>")
        if tag == "style":
            found.append("<style> element")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                found.append(f"{tag} {name}=")
            if lowered == "style":
                found.append(f"{tag} style=")
            if lowered in URL_ATTRIBUTES:
                compact = "".join(value.split()).lower()
                if compact.startswith(("javascript:", "data:text", "vbscript:")):
                    found.append(f"{tag} {name}={value[:40]}")
    return found
