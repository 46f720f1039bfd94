#!/usr/bin/env python3
"""Validate UBL invoices and credit notes with the official Peppol BIS Billing 3.0 checks.

Three layers, as an access point runs them: the UBL 2.1 schema (``xsd/``), the CEN EN 16931
rules (``xsl/CEN-EN16931-UBL.xsl``, compiled from ``xsl/CEN-EN16931-UBL.sch``) and Peppol's own
rules, Sweden's ``SE-R-*`` among them (``PEPPOL-EN16931-UBL.xsl``, not kept in the repository:
see README.md here for where it is found). The rules run in Saxon (``saxonche``), the schema in
``lxml``; both are in the project's test extras.

Usage:  python tools/peppol/validate.py FILE.xml ...         exit 0 when no file has a
        python tools/peppol/validate.py --json FILE.xml ...  schema error or fatal failure
"""

import hashlib
import json
import os
import pathlib
import sys
from dataclasses import dataclass, field

from lxml import etree
from saxonche import PySaxonProcessor

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
PEPPOL_RULES = "PEPPOL-EN16931-UBL.xsl"
# OpenPEPPOL peppol-bis-invoice-3 release 3.0.19 (May 2025, commit 78d7f7d), compiled with SchXslt.
PEPPOL_RULES_SHA256 = "cbcaf873335745217a6d86d1e81a9359287cfb2c13194c36db01e57a367b365c"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "UBL-Invoice-2.1.xsd",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "UBL-CreditNote-2.1.xsd",
}


class RulesMissing(RuntimeError):
    """The Peppol rules file is not on this machine (see README.md in this folder)."""


def peppol_rules_path() -> pathlib.Path:
    """Peppol's compiled rules: ``$PEPPOL_RULES``, or the kit in ``../shared/peppol/`` beside the
    repository (a worktree one folder deeper: ``../../shared``); its SHA-256 must match."""
    candidates = [
        os.environ.get("PEPPOL_RULES", ""),
        *(folder / "shared" / "peppol" / "xsl" / PEPPOL_RULES for folder in REPO.parents[:2]),
    ]
    for candidate in filter(None, candidates):
        path = pathlib.Path(candidate)
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != PEPPOL_RULES_SHA256:
                raise RulesMissing(f"{path} is not release 3.0.19 of the Peppol rules (SHA-256 {digest})")
            return path
    raise RulesMissing(f"{PEPPOL_RULES} not found: set PEPPOL_RULES to it (tools/peppol/README.md)")


@dataclass
class Result:
    file: str
    schema: list = field(default_factory=list)
    fatal: list = field(default_factory=list)
    warning: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not (self.schema or self.fatal)


class Validator:
    """Compiles the schemas and rules once; ``validate`` checks one document (bytes or a path)."""

    def __init__(self):
        self._proc = PySaxonProcessor(license=False)
        xslt = self._proc.new_xslt30_processor()
        self.rules = {
            path.stem: xslt.compile_stylesheet(stylesheet_file=str(path))
            for path in (HERE / "xsl" / "CEN-EN16931-UBL.xsl", peppol_rules_path())
        }
        self.schemas = {
            name: etree.XMLSchema(etree.parse(str(HERE / "xsd" / "maindoc" / name))) for name in ROOTS.values()
        }

    def validate(self, document, name: str = "document") -> Result:
        result = Result(file=name)
        data = pathlib.Path(document).read_bytes() if isinstance(document, str | pathlib.Path) else document
        try:
            tree = etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            result.schema.append(f"not well-formed XML: {exc}")
            return result
        schema_name = ROOTS.get(tree.tag)
        if schema_name is None:
            result.schema.append(f"root element {tree.tag} is neither a UBL Invoice nor a CreditNote")
            return result
        schema = self.schemas[schema_name]
        if not schema.validate(tree):
            result.schema += [f"line {e.line}: {e.message}" for e in schema.error_log]
            return result
        node = self._proc.parse_xml(xml_text=data.decode("utf-8"))
        for rules in self.rules.values():
            report = etree.fromstring(rules.transform_to_string(xdm_node=node).encode())
            for fail in report.iterfind(".//svrl:failed-assert", SVRL):
                text = " ".join((fail.findtext("svrl:text", namespaces=SVRL) or "").split())
                kind = result.fatal if fail.get("flag") == "fatal" else result.warning
                kind.append(f"{fail.get('id')}: {text} (at {fail.get('location')})")
        return result


def main(argv) -> int:
    as_json = "--json" in argv
    files = [a for a in argv if a != "--json"]
    if not files:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    validator = Validator()
    worst = 0
    for file in files:
        result = validator.validate(file, name=file)
        worst = max(worst, int(not result.valid))
        if as_json:
            print(json.dumps(result.__dict__, ensure_ascii=False))
            continue
        state = "valid" if result.valid else "INVALID"
        print(
            f"{file}: {state} ({len(result.schema)} schema errors, {len(result.fatal)} fatal, "
            f"{len(result.warning)} warnings)"
        )
        for line in result.schema + result.fatal + result.warning:
            print(f"  {line}")
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
