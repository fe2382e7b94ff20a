"""core/ stays framework-free: no file under it may import streamlit."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit():
    files = list(CORE.rglob("*.py"))
    assert len(files) > 5
    offenders = [str(f) for f in files if "streamlit" in _imports(f)]
    assert offenders == []


def test_the_check_itself_catches_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom streamlit import session_state\n")
    assert "streamlit" in _imports(bad)


LABS_CORE = ("playground", "cnn", "explain", "learning", "generalization", "sequence", "attention",
             "generative", "transfer")  # core/<lab>/
LABS_UI = ("playground", "cnn", "explain", "learning", "generalization", "sequence", "attention",
           "generative", "transfer")  # ui/<lab>/
# Named exceptions: the Attention lab races the Sequence lab's own LSTM on the same text rules (issue 16 asks for
# that very model), so its core may use that lab's public tasks and trainer, and nothing else of it.
ALLOWED = {("attention", "core.sequence.tasks"), ("attention", "core.sequence.trainer")}
ROOT = CORE.parent


def _modules(path: Path) -> set[str]:
    """Full module names imported by a file (`from a.b import c` gives a.b and a.b.c)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _crossings(top: str, labs: tuple[str, ...], files=None) -> list[str]:
    bad = []
    for lab in labs:
        for f in files or (ROOT / top / lab).rglob("*.py"):
            for name in _modules(f):
                parts = name.split(".")
                if parts[0] == top and len(parts) > 1 and parts[1] in labs and parts[1] != lab and \
                        (lab, ".".join(parts[:3])) not in ALLOWED:
                    bad.append(f"{f.relative_to(ROOT)} imports {name}")
    return bad


def test_labs_never_import_each_others_internals():
    assert _crossings("ui", LABS_UI) == [] and _crossings("core", LABS_CORE) == []
    ui_only = [f for lab in LABS_UI for f in (ROOT / "ui" / lab).rglob("*.py")]
    assert len(ui_only) > 10  # the check looks at real files
    shared = [f for f in (ROOT / "ui" / "kit").rglob("*.py")]
    offenders = [f"{f.relative_to(ROOT)} imports {n}" for f in shared for n in _modules(f)
                 if n.split(".")[:2] in (["ui", lab] for lab in LABS_UI)]
    assert offenders == []  # the kit serves every lab and depends on none
    reaching = [f"{f.relative_to(ROOT)} imports {n}" for lab in LABS_UI for f in (ROOT / "ui" / lab).rglob("*.py")
                for n in _modules(f) if n.split(".")[0] == "core" and len(n.split(".")) > 1
                and n.split(".")[1] in LABS_CORE and n.split(".")[1] != lab]
    assert reaching == []  # a lab's page parts use its own core and the shared modules only


def test_the_crossing_check_catches_one(tmp_path):
    (tmp_path / "bad.py").write_text("from ui.cnn.train import state\nfrom ui.kit import live\n")
    assert _modules(tmp_path / "bad.py") >= {"ui.cnn.train", "ui.kit.live"}
    bad = [n for n in _modules(tmp_path / "bad.py") if n.split(".")[:2] == ["ui", "cnn"]]
    assert bad


TESTS = ROOT / "tests"
FOR_PAGES = {"tests.conftest.open_page", "tests.conftest.unfold", "streamlit.testing", "streamlit.testing.v1"}
FOR_SERVERS = {"tests.browser", "playwright", "playwright.sync_api", "benchmarks"}


def _folder_breaks(folder: str, banned: set[str]) -> list[str]:
    return [f"{f.relative_to(ROOT)} imports {n}" for f in (TESTS / folder).rglob("test_*.py")
            for n in _modules(f) if n in banned or any(n.startswith(b + ".") for b in banned)]


def test_each_test_folder_holds_only_its_kind():
    """tests/unit starts no page and no server (it is the fast loop); tests/app starts no server."""
    assert len(list((TESTS / "unit").glob("test_*.py"))) > 20 and list((TESTS / "app").glob("test_*.py"))
    assert _folder_breaks("unit", FOR_PAGES | FOR_SERVERS) == []
    assert _folder_breaks("app", FOR_SERVERS) == []
    assert list(TESTS.glob("test_*.py")) == []  # every test file is in one of the three folders


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph(tops: tuple[str, ...] = ("core", "ui")) -> dict[str, set[str]]:
    """Module -> the project's modules it imports, anywhere in the file (a function-level import counts: it
    only hides a circle). `from package import submodule` is an edge to the submodule alone."""
    files = {_module_name(f): f for top in tops for f in (ROOT / top).rglob("*.py")}

    def known(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in files.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in files]
                targets = subs if len(subs) == len(node.names) else [node.module, *subs]
            edges |= {t for t in map(known, targets) if t and t != name}
        graph[name] = edges
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of more than one module), by Tarjan's algorithm."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    graph = _graph()
    assert len(graph) > 100 and sum(map(len, graph.values())) > 200  # the check reads the real imports
    assert _circles(graph) == []


def test_the_circle_check_finds_a_circle_hidden_in_a_function():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_shared_core_never_imports_a_lab():
    """core/ outside the lab folders (training, data, viz, the link codec...) serves every lab and depends on none."""
    shared = [f for f in CORE.rglob("*.py") if f.relative_to(CORE).parts[0] not in LABS_CORE]
    assert len(shared) > 30
    offenders = [f"{f.relative_to(ROOT)} imports {n}" for f in shared for n in _modules(f)
                 if n.split(".")[0] == "core" and len(n.split(".")) > 1 and n.split(".")[1] in LABS_CORE]
    assert offenders == []
