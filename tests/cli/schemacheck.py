#!/usr/bin/env python3
"""Validate the real --json output of every tool against docs/schemas/*.json.

    schemacheck.py [--self-test]

Environment: LTK_BIN (build/bin), LTK_SOURCE_DIR (the source tree).

Every file docs/schemas/NAME.json describes one output format ("ltk.stats/1" is
in ltk.stats-1.json) in a subset of JSON Schema (see SUPPORTED), plus:

  "x-ltk-commands"  the commands whose output must match it, each a list of
                    arguments run from the source tree.  Placeholders are
                    expanded over every bundled sample, all combinations:
                      {run}       samples/runs/NAME/NAME, for every NAME
                      {method}    hdr, locust, exact
                      {type}      smoke, load, stress, spike, soak
                    e.g. ["ltk", "trend", "--json", "--metrics", "{run}_metrics.csv", "{run}"].
  "x-ltk-exit"      the exit statuses that count as success (default [0, 1]:
                    a failed check still prints its JSON).

A new format only needs its file here: the test finds it, runs its commands and
checks their output (a top-level array is checked item by item, for tools that
print one document per input).  The test fails when a command exits with
another status, prints something that is not JSON or does not match, when a
document names another schema than the file's, when a file has no commands,
or when a tool of tools/ltk.c offers --json and no file runs it.
Exit status: 0 all valid, 1 a mismatch, 2 a schema file is broken.
"""
import glob
import itertools
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.environ.get("LTK_SOURCE_DIR") or os.path.join(HERE, "..", ".."))
BIN = os.path.abspath(os.environ.get("LTK_BIN") or os.path.join(SRC, "build", "bin"))
SCHEMAS = os.path.join(SRC, "docs", "schemas")

SUPPORTED = {
    "$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "examples",
    "type", "enum", "const", "properties", "required", "additionalProperties",
    "patternProperties", "propertyNames", "items", "minItems", "maxItems",
    "minimum", "maximum", "exclusiveMinimum", "pattern", "minLength", "anyOf", "oneOf",
    "dependentRequired",
    "x-ltk-commands", "x-ltk-exit",
}

PLACEHOLDERS = {
    "method": ["hdr", "locust", "exact"],
    "type": ["smoke", "load", "stress", "spike", "soak"],
}


class SchemaError(Exception):
    pass


def type_ok(value, t):
    if t == "null":
        return value is None
    if t == "boolean":
        return isinstance(value, bool)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t == "array":
        return isinstance(value, list)
    if t == "object":
        return isinstance(value, dict)
    raise SchemaError(f"unknown type '{t}'")


class Validator:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        """(validator, schema) for '#/$defs/x', or 'FILE.json#/$defs/x' (another
        file of docs/schemas, so that formats can share their parts)."""
        doc, _, pointer = ref.partition("#")
        v = self
        if doc:
            if "/" in doc or not doc.endswith(".json"):
                raise SchemaError(f"$ref '{ref}': only files of docs/schemas can be named")
            try:
                with open(os.path.join(SCHEMAS, doc), encoding="utf-8") as f:
                    v = Validator(json.load(f))
            except (OSError, ValueError) as e:
                raise SchemaError(f"$ref '{ref}': {e}")
        if pointer and not pointer.startswith("/"):
            raise SchemaError(f"$ref '{ref}': expected a JSON pointer after '#'")
        node = v.root
        for part in pointer[1:].split("/") if pointer else []:
            if not isinstance(node, dict) or part not in node:
                raise SchemaError(f"$ref '{ref}' does not resolve")
            node = node[part]
        return v, node

    def errors(self, value, schema, path="$"):
        """A list of 'path: message' strings, empty when VALUE matches."""
        if schema is True:
            return []
        if schema is False:
            return [f"{path}: not allowed here"]
        unknown = set(schema) - SUPPORTED
        if unknown:
            raise SchemaError(f"unsupported keyword(s) {sorted(unknown)} at {path}")
        errs = []
        if "$ref" in schema:
            v, target = self.resolve(schema["$ref"])
            errs += v.errors(value, target, path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(type_ok(value, t) for t in types):
                return errs + [f"{path}: {json.dumps(value)[:60]} is not {' or '.join(types)}"]
        if "const" in schema and value != schema["const"]:
            errs.append(f"{path}: {json.dumps(value)[:60]} is not {json.dumps(schema['const'])}")
        if "enum" in schema and value not in schema["enum"]:
            errs.append(f"{path}: {json.dumps(value)[:60]} is not one of {schema['enum']}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                errs.append(f"{path}: {value} is below {schema['minimum']}")
            if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
                errs.append(f"{path}: {value} is not above {schema['exclusiveMinimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                errs.append(f"{path}: {value} is above {schema['maximum']}")
        if isinstance(value, str):
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errs.append(f"{path}: {json.dumps(value)[:60]} does not match {schema['pattern']}")
            if "minLength" in schema and len(value) < schema["minLength"]:
                errs.append(f"{path}: shorter than {schema['minLength']}")
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                errs.append(f"{path}: fewer than {schema['minItems']} items")
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                errs.append(f"{path}: more than {schema['maxItems']} items")
            if "items" in schema:
                for i, item in enumerate(value):
                    errs += self.errors(item, schema["items"], f"{path}[{i}]")
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for key in schema.get("required", []):
                if key not in value:
                    errs.append(f"{path}: missing '{key}'")
            for key, needs in schema.get("dependentRequired", {}).items():
                if key in value:
                    for n in needs:
                        if n not in value:
                            errs.append(f"{path}: '{key}' without '{n}'")
            patterns = schema.get("patternProperties", {})
            for key, item in value.items():
                if "propertyNames" in schema:
                    errs += self.errors(key, schema["propertyNames"], f"{path} key {key!r}")
                sub = f"{path}.{key}"
                if key in props:
                    errs += self.errors(item, props[key], sub)
                    continue
                matched = [p for p in patterns if re.search(p, key)]
                for p in matched:
                    errs += self.errors(item, patterns[p], sub)
                if not matched:
                    extra = schema.get("additionalProperties", True)
                    if extra is False:
                        errs.append(f"{path}: unexpected key '{key}'")
                    elif extra is not True:
                        errs += self.errors(item, extra, sub)
        for kw in ("anyOf", "oneOf"):
            if kw in schema:
                results = [self.errors(value, s, path) for s in schema[kw]]
                ok = sum(1 for r in results if not r)
                if ok == 0:
                    best = min(results, key=len)
                    errs.append(f"{path}: matches none of {kw}; nearest: {'; '.join(best[:3])}")
                elif kw == "oneOf" and ok > 1:
                    errs.append(f"{path}: matches {ok} of oneOf")
        return errs


def tools_from_source():
    with open(os.path.join(SRC, "tools", "ltk.c"), encoding="utf-8") as f:
        body = re.search(r"tools\[\]\s*=\s*\{(.*?)\n\};", f.read(), re.S).group(1)
    return re.findall(r'\{\s*"([a-z0-9-]+)"\s*,', body)


def sample_runs():
    runs = []
    for d in sorted(glob.glob(os.path.join(SRC, "samples", "runs", "*"))):
        name = os.path.basename(d)
        if os.path.exists(os.path.join(d, f"{name}_stats.csv")):
            runs.append(f"samples/runs/{name}/{name}")
    return runs


def expand(args):
    values = dict(PLACEHOLDERS, run=sample_runs())
    used = sorted({m for a in args for m in re.findall(r"\{(\w+)\}", a)})
    for u in used:
        if u not in values:
            raise SchemaError(f"unknown placeholder {{{u}}} in {args}")
    for combo in itertools.product(*(values[u] for u in used)):
        sub = dict(zip(used, combo))
        yield [re.sub(r"\{(\w+)\}", lambda m: sub[m.group(1)], a) for a in args]


def load_schemas():
    schemas = {}
    for path in sorted(glob.glob(os.path.join(SCHEMAS, "*.json"))):
        with open(path, encoding="utf-8") as f:
            try:
                s = json.load(f)
            except ValueError as e:
                raise SchemaError(f"{path}: not JSON: {e}")
        name = s.get("properties", {}).get("schema", {}).get("const")
        if not name:
            raise SchemaError(f"{path}: properties.schema.const must name the format")
        expected_file = name.replace("/", "-") + ".json"
        if os.path.basename(path) != expected_file:
            raise SchemaError(f"{path}: a file for {name} is called {expected_file}")
        if not s.get("x-ltk-commands"):
            raise SchemaError(f"{path}: no x-ltk-commands: nothing would be checked")
        schemas[name] = (path, s)
    return schemas


def self_test():
    """The validator must reject what does not match."""
    schema = {"type": "object", "required": ["a"], "additionalProperties": False,
              "properties": {"a": {"type": "integer", "minimum": 0},
                             "b": {"type": ["string", "null"], "enum": ["x", None]},
                             "c": {"type": "array", "items": {"$ref": "#/$defs/n"}}},
              "$defs": {"n": {"type": "number"}}}
    v = Validator(schema)
    cases = [({"a": 1}, True), ({"a": 1, "b": None, "c": [1, 2.5]}, True),
             ({}, False), ({"a": -1}, False), ({"a": 1.5}, False), ({"a": True}, False),
             ({"a": 1, "b": "y"}, False), ({"a": 1, "c": ["1"]}, False),
             ({"a": 1, "d": 0}, False), ([], False)]
    bad = 0
    for value, want in cases:
        got = not v.errors(value, schema)
        if got != want:
            bad += 1
            print(f"FAIL self-test: {value} valid={got}, want {want}")
    try:
        Validator({"typo": 1}).errors(1, {"typo": 1})
        bad += 1
        print("FAIL self-test: an unknown keyword was accepted")
    except SchemaError:
        pass
    return bad


def main(argv):
    failures = self_test()
    if "--self-test" in argv:
        return 1 if failures else 0
    try:
        schemas = load_schemas()
    except SchemaError as e:
        print(f"schemacheck: {e}")
        return 2
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    total = 0
    for name, (path, schema) in schemas.items():
        v = Validator(schema)
        allowed = schema.get("x-ltk-exit", [0, 1])
        docs = 0
        try:
            commands = [c for args in schema["x-ltk-commands"] for c in expand(args)]
        except SchemaError as e:
            print(f"schemacheck: {os.path.relpath(path, SRC)}: {e}")
            return 2
        for cmd in commands:
            shown = " ".join(cmd)
            p = subprocess.run(cmd, cwd=SRC, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=300)
            if p.returncode not in allowed:
                failures += 1
                print(f"FAIL {shown}: exit {p.returncode}: "
                      f"{p.stderr.decode(errors='replace').strip()[:200]}")
                continue
            try:
                out = json.loads(p.stdout)
            except ValueError as e:
                failures += 1
                print(f"FAIL {shown}: not JSON: {e}")
                continue
            for i, doc in enumerate(out if isinstance(out, list) else [out]):
                total += 1
                docs += 1
                named = doc.get("schema") if isinstance(doc, dict) else None
                if named != name:
                    failures += 1
                    print(f"FAIL {shown}: document {i} says schema {named!r}, "
                          f"{os.path.relpath(path, SRC)} describes {name}")
                    continue
                try:
                    errs = v.errors(doc, schema)
                except SchemaError as e:
                    print(f"schemacheck: {os.path.relpath(path, SRC)}: {e}")
                    return 2
                if errs:
                    failures += 1
                    print(f"FAIL {shown}: does not match {name}:")
                    for e in errs[:10]:
                        print("    " + e)
        print(f"{name}: {docs} documents from {len(commands)} commands")
    # every tool with --json has a format here, tested by at least one command
    covered = {args[1] for _, sch in schemas.values() for args in sch["x-ltk-commands"]
               if len(args) > 1 and args[0] == "ltk"}
    for tool in tools_from_source():
        h = subprocess.run([os.path.join(BIN, "ltk"), tool, "--help"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=60)
        if b"--json" in h.stdout and tool not in covered:
            failures += 1
            print(f"FAIL ltk {tool} has --json but no docs/schemas/*.json runs it: add a schema file "
                  f"with x-ltk-commands (docs/schemas/README.md)")
    print(f"schemacheck: {total} documents, {len(schemas)} schemas, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
