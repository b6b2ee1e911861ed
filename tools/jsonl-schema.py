#!/usr/bin/env python3
"""Infer an Arrow-like schema over a dataset's JSON Lines files and fail on
any field that has two types (docs/dataset.md "One type per field").

    tools/jsonl-schema.py DATASET            # check every file; exit 1 naming each conflict
    tools/jsonl-schema.py --print DATASET    # ... and print the schema of each group of files
    tools/jsonl-schema.py FILE.jsonl ...     # files of one group (one schema over all of them)

Types as Arrow-based loaders (Hugging Face `datasets`, pandas -> parquet)
infer them: null, bool, int64, double, string, list<T>, struct<keys in
order>. null merges with anything (a nullable column); int64 and double do
not (a reader that sees only `4` in a block infers int64 and then fails on
`3.5`); two structs merge only with the same keys in the same order; a list
takes the merged type of all its elements. Standard library only.
"""
import json
import os
import sys

# The files of a dataset that must share one schema, group by group.
GROUPS = [
    ("records", ["train.jsonl", "test.jsonl"]),
    ("conversations", ["train.conversations.jsonl", "test.conversations.jsonl"]),
    ("metadata", ["metadata.jsonl"]),
    ("shards", ["shards.jsonl"]),
    ("image truth", ["truth.jsonl"]),
]

NULL = ("null",)


class Conflict(Exception):
    def __init__(self, path, a, b):
        super().__init__(path)
        self.path, self.a, self.b = path, a, b


def show(t):
    if t[0] == "list":
        return "list<%s>" % show(t[1])
    if t[0] == "struct":
        return "struct{%s}" % ", ".join(k for k, _ in t[1])
    return t[0]


def show_long(t, indent="  "):
    """The schema as a tree, one field a line."""
    out = []

    def walk(t, name, depth):
        pad = indent * depth
        if t[0] == "struct":
            out.append("%s%s: struct" % (pad, name))
            for k, v in t[1]:
                walk(v, k, depth + 1)
        elif t[0] == "list" and t[1][0] == "struct":
            out.append("%s%s: list<struct>" % (pad, name))
            for k, v in t[1][1]:
                walk(v, k, depth + 1)
        else:
            out.append("%s%s: %s" % (pad, name, show(t)))

    if t[0] == "struct":
        for k, v in t[1]:
            walk(v, k, 0)
    else:
        walk(t, "(line)", 0)
    return "\n".join(out)


def merge(a, b, path):
    if a == NULL:
        return b
    if b == NULL:
        return a
    if a[0] != b[0]:
        raise Conflict(path, a, b)
    if a[0] == "list":
        return ("list", merge(a[1], b[1], path + "[]"))
    if a[0] == "struct":
        ka, kb = [k for k, _ in a[1]], [k for k, _ in b[1]]
        if ka != kb:
            raise Conflict(path, a, b)
        return ("struct", tuple((k, merge(x, y, path + "." + k)) for (k, x), (_, y) in zip(a[1], b[1])))
    return a


def typeof(v, path):
    if v is None:
        return NULL
    if isinstance(v, bool):
        return ("bool",)
    if isinstance(v, int):
        return ("int64",)
    if isinstance(v, float):
        return ("double",)
    if isinstance(v, str):
        return ("string",)
    if isinstance(v, list):
        t = NULL
        for x in v:
            t = merge(t, typeof(x, path + "[]"), path + "[]")
        return ("list", t)
    if isinstance(v, dict):
        return ("struct", tuple((k, typeof(x, path + "." + k)) for k, x in v.items()))
    raise TypeError(path)


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def check(files, label, problems):
    """One schema over every line of files; conflicts go to problems."""
    schema, first = NULL, None
    nlines = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                nlines += 1
                where = "%s:%d" % (f, n)
                try:
                    v = json.loads(line, parse_constant=no_constant)
                except ValueError as e:
                    problems.append("%s: not a JSON value (%s)" % (where, e))
                    continue
                try:
                    t = typeof(v, "")
                except Conflict as c:
                    problems.append("%s: field %s is %s in one element and %s in another"
                                    % (where, c.path or "(line)", show(c.a), show(c.b)))
                    continue
                try:
                    schema = merge(schema, t, "")
                    if first is None:
                        first = where
                except Conflict as c:
                    problems.append("%s: field %s is %s here but %s before (since %s)"
                                    % (where, c.path or "(line)", show(c.b), show(c.a), first))
    return schema, nlines


def main(argv):
    printing = "--print" in argv
    args = [a for a in argv if a != "--print"]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if len(args) == 1 and os.path.isdir(args[0]):
        groups = [(label, [os.path.join(args[0], n) for n in names
                           if os.path.isfile(os.path.join(args[0], n))]) for label, names in GROUPS]
        groups = [(label, files) for label, files in groups if files]
        if not groups:
            print("%s: no JSON Lines file of a dataset" % args[0], file=sys.stderr)
            return 2
    else:
        groups = [("files", args)]
    problems, total = [], 0
    for label, files in groups:
        schema, n = check(files, label, problems)
        total += n
        if printing:
            print("# %s (%s): %d lines" % (label, ", ".join(os.path.basename(f) for f in files), n))
            print(show_long(schema))
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print("%d fields with two types" % len(problems), file=sys.stderr)
        return 1
    print("ok: %d lines in %d groups of files, one type per field" % (total, len(groups)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
