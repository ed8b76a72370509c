from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FILINGS = CORPUS / "filings"
REFERENCE = FILINGS / "absc-2003-he2_8k_2003-12-15.txt"
# The first 2,000 bytes of an 8-K: compiles, with a truncated-input error.
CUT_SHORT = CORPUS / "partial" / "incj_conseco-hel-trust-2000-A_8k_2000-05-24.txt"


@pytest.fixture(scope="session")
def reference_path() -> str:
    # Relative to the repository, so snapshots do not depend on where it is checked out.
    return str(REFERENCE.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    monkeypatch.chdir(ROOT)
