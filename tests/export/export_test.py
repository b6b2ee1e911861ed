#!/usr/bin/env python3
"""misi export, read back the way each consumer reads it (docs/export.md).

usage: export_test.py MISI ASSETS CASE

Each CASE is one meson test. It makes two small datasets from the bundled
complexes, one with loose images and one with --format tar, and checks an
export against the dataset with a reader written here from the format's own
documentation (python3's standard library only; no network):

  vlmevalkit  TSV as pandas / csv read it; image column base64, or a list
              (the "[...]" form VLMEvalKit's toliststr evaluates)
  lmms        the task YAML (parsed by the small reader below), utils.py
              compiled, imported and called with the exported docs; its
              scoring hook must round-trip through `misi score`
  llava       a JSON array of {"id", "image": str | list, "conversations"}
  wds         tar members grouped WebDataset's way (key = name up to the
              first dot, consecutive members form a sample)
  same        loose and tar datasets give byte-identical exports, and two
              runs do too; --tasks keeps only those tasks, in order
  bad         bad inputs fail cleanly, name what is wrong and leave nothing
"""
import ast
import base64
import csv
import hashlib
import importlib.util
import io
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tarfile
import tempfile

MISI, ASSETS, CASE = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
TMP = tempfile.mkdtemp(prefix="misi-export-test-")
MC = {"translation_rotation", "rotation_rotation", "interaction_location"}
EXPORTED = ["id", "task", "task_number", "split", "complex", "images", "question", "answer", "options"]
csv.field_size_limit(1 << 30)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run(*args, ok=True):
    p = subprocess.run([MISI] + list(args), capture_output=True, text=True)
    if ok and p.returncode != 0:
        fail("misi %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


def dotted_source(name, new):
    """A copy of a bundled complex whose id holds a dot (ids may: [A-Za-z0-9._-])."""
    d = os.path.join(TMP, "src", new)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(os.path.join(ASSETS, name)):
        shutil.copy(os.path.join(ASSETS, name, f), os.path.join(d, f.replace(name, new, 1)))
    return d


def generate(out, fmt, dotted=False):
    # two complexes per split so T5 has its second complex; one question per
    # task and split; tiny images, so labels are not checked for legibility
    counts = []
    for t in range(1, 10):
        counts += ["--count", "%d=1/1" % t]
    srcs = [os.path.join(ASSETS, c) for c in ("1cs4", "1hpv", "5dt0", "4cup")]
    if dotted:
        srcs[2] = dotted_source("5dt0", "5dt0.b")
    test_list = os.path.join(TMP, "test-list.txt")
    with open(test_list, "w") as f:
        f.write("1hpv\n4cup\n")
    p = run("generate", "--no-progress", "--size", "96", "--no-label-check", "--test-list", test_list,
            "--format", fmt, "--shard-images", "25", "--out", out, *counts, *srcs, ok=False)
    # exit 1: a complex without H-bonds gives no T8/T9 question; the dataset is whole
    with open(os.path.join(out, "manifest.json")) as f:
        check(p.returncode in (0, 1) and json.load(f)["complete"], "misi generate failed:\n" + p.stderr)


class Dataset:
    """A dataset as its documentation describes it (docs/dataset.md)."""

    def __init__(self, root):
        self.root = root
        self.members = {}
        shards = os.path.join(root, "shards")
        if os.path.isdir(shards):
            for name in sorted(os.listdir(shards)):
                with tarfile.open(os.path.join(shards, name)) as t:
                    for m in t.getmembers():
                        self.members[m.name] = t.extractfile(m).read()

    def records(self, split):
        path = os.path.join(self.root, split + ".jsonl")
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def conversations(self, split):
        with open(os.path.join(self.root, split + ".conversations.jsonl"), encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def image(self, path):
        if path in self.members:
            return self.members[path]
        with open(os.path.join(self.root, path), "rb") as f:
            return f.read()


def exported(rec):
    """What an export may carry of a record: never its truth."""
    out = {k: rec.get(k) for k in EXPORTED}
    return out


def no_truth(root):
    for dirpath, _, files in os.walk(root):
        check("truth.jsonl" not in files, "an export holds truth.jsonl")
        for name in files:
            if name.endswith((".json", ".jsonl", ".tsv", ".yaml", ".py")):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    check('"truth"' not in f.read(), "%s carries a \"truth\" field" % name)


def export(dataset, fmt, out, *extra):
    run("export", "--format", fmt, "--out", out, *extra, dataset)
    check(os.path.isfile(os.path.join(out, "misi-export.json")), "no misi-export.json in " + out)
    no_truth(out)
    return out


def tree_bytes(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


# ---- the consumers' readers ----


def read_tsv(path):
    """Rows as pandas.read_csv(sep='\\t') gives them (QUOTE_MINIMAL, '"' doubled)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    header = rows[0]
    return header, [dict(zip(header, r)) for r in rows[1:] if len(r) == len(header) or fail("ragged row")]


def tolist(s):
    """VLMEvalKit's toliststr: a '[...]' string is a list, else one item."""
    return [str(x) for x in ast.literal_eval(s)] if s[:1] == "[" and s[-1:] == "]" else [s]


def read_yaml(path):
    """The YAML subset lmms-eval task files use here: nested mappings by
    indentation, lists of mappings, scalars, '!function' tags, comments."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            s = raw.rstrip("\n")
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            lines.append((len(s) - len(s.lstrip(" ")), s.strip()))

    def scalar(v):
        if v.startswith("!function "):
            return ("function", v.split(None, 1)[1])
        if v in ("true", "false"):
            return v == "true"
        try:
            return int(v)
        except ValueError:
            return v

    def block(i, indent):
        if lines[i][1].startswith("- "):
            out = []
            while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                # a list item: "- key: value" and more keys indented by 2
                sub = [(indent + 2, lines[i][1][2:])]
                j = i + 1
                while j < len(lines) and lines[j][0] > indent:
                    sub.append(lines[j])
                    j += 1
                saved = lines[:]
                lines[:] = sub
                item, _ = block(0, indent + 2)
                lines[:] = saved
                out.append(item)
                i = j
            return out, i
        out = {}
        while i < len(lines) and lines[i][0] == indent:
            key, _, v = lines[i][1].partition(":")
            v = v.strip()
            if v:
                out[key] = scalar(v)
                i += 1
            else:
                out[key], i = block(i + 1, lines[i + 1][0])
        if i < len(lines) and lines[i][0] >= indent:
            fail("%s: bad indentation near %r" % (path, lines[i]))
        return out, i

    doc, _ = block(0, 0)
    return doc


# ---- the cases ----


def splits_of(ds):
    return [(s, ds.records(s)) for s in ("train", "test")]


def case_vlmevalkit(ds, dataset):
    out = export(dataset, "vlmevalkit", os.path.join(TMP, "vlm"), "--split", "all")
    for split, recs in splits_of(ds):
        for kind, want in (("MCQ", [r for r in recs if r["task"] in MC]),
                           ("VQA", [r for r in recs if r["task"] not in MC])):
            header, rows = read_tsv(os.path.join(out, "MiSI_%s_%s.tsv" % (split, kind)))
            cols = ["index", "id", "image", "question"] + (list("ABCD") if kind == "MCQ" else []) + \
                ["answer", "category"]
            check(header == cols, "%s %s header %s" % (split, kind, header))
            check([r["id"] for r in rows] == [r["id"] for r in want], "%s %s: order or ids differ" % (split, kind))
            check(any(r["task"] in MC for r in recs), "the fixture has no MC question")
            for i, (row, rec) in enumerate(zip(rows, want)):
                check(row["index"] == str(i), "index %s" % row["index"])
                imgs = tolist(row["image"])
                check(len(imgs) == len(rec["images"]), "%s: %d images, not %d" % (rec["id"], len(imgs), len(rec["images"])))
                check(len(rec["images"]) == 1 or row["image"].startswith("["), "multi-image is the list form")
                for b64, path in zip(imgs, rec["images"]):
                    check(base64.b64decode(b64, validate=True) == ds.image(path), "%s: %s differs" % (rec["id"], path))
                check(row["question"] == rec["question"], rec["id"] + ": question")
                check(row["answer"] == rec["answer"], rec["id"] + ": answer")
                check(row["category"] == rec["task"], rec["id"] + ": category")
                for k in "ABCD" if kind == "MCQ" else "":
                    v = rec["options"][k]
                    if v in rec["images"]:  # T5/T6: the option names its image
                        v = "Image %d" % (rec["images"].index(v) + 1)
                    check(row[k] == v, "%s: option %s is %r, not %r" % (rec["id"], k, row[k], v))
    # the kit's letter answers score through misi score too
    _, rows = read_tsv(os.path.join(out, "MiSI_test_MCQ.tsv"))
    check(all(r["answer"] in "ABCD" for r in rows), "MCQ answers are letters")


def case_lmms(ds, dataset):
    out = export(dataset, "lmms-eval", os.path.join(TMP, "lmms"))  # default split: test
    check(not os.path.exists(os.path.join(out, "train.jsonl")), "the default lmms-eval export is the test split")
    y = read_yaml(os.path.join(out, "misi_test.yaml"))
    check(y["task"] == "misi_test" and y["dataset_path"] == "json", "task/dataset_path: %r" % y)
    files = y["dataset_kwargs"]["data_files"]
    check(y["test_split"] in files and os.path.isfile(os.path.join(out, files[y["test_split"]])),
          "test_split names a data file: %r" % files)
    check(y["output_type"] == "generate_until" and y["doc_to_target"] == "answer", "output_type/doc_to_target")
    py_compile.compile(os.path.join(out, "utils.py"), doraise=True, cfile=os.path.join(TMP, "utils.pyc"))
    spec = importlib.util.spec_from_file_location("misi_utils", os.path.join(out, "utils.py"))
    utils = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(utils)
    hooks = [y["doc_to_visual"], y["doc_to_text"], y["process_results"]] + [m["aggregation"] for m in y["metric_list"]]
    for tag, ref in hooks:
        mod, _, fn = ref.partition(".")
        check(tag == "function" and mod == "utils" and callable(getattr(utils, fn, None)), "hook %s" % ref)
    with open(os.path.join(out, files["test"]), encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    recs = ds.records("test")
    check([d["id"] for d in docs] == [r["id"] for r in recs], "docs in the records' order")
    for d, r in zip(docs, recs):
        check(d == exported(r), d["id"] + ": the doc is the record without truth")
        check(utils.misi_doc_to_text(d) == r["question"], d["id"] + ": doc_to_text")
        for p, want in zip(utils.misi_image_paths(d), r["images"]):
            with open(p, "rb") as f:
                check(f.read() == ds.image(want), d["id"] + ": image " + want)
    try:
        import PIL  # noqa: F401  (lmms-eval has it; the test machine may not)
        check(len(utils.misi_doc_to_visual(docs[0])) == len(docs[0]["images"]), "doc_to_visual")
    except ImportError:
        pass
    env_path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.path.dirname(MISI) + os.pathsep + env_path
    os.environ.pop("MISI", None)
    items = [utils.misi_process_results(d, [d["answer"]])["misi_headline"] for d in docs]
    check(utils.misi_headline(items) == 100 and utils.misi_average(items) == 100, "gold answers score 100")
    wrong = [utils.misi_process_results(d, ["I cannot tell"])["misi_average"] for d in docs]
    check(utils.misi_average(wrong) == 0, "non-answers score 0, not %r" % utils.misi_average(wrong))
    # half right: what misi score says of the same predictions, to the digit
    half = [dict(it, answer=(it["answer"] if i % 2 else "nothing")) for i, it in enumerate(items)]
    pred = os.path.join(TMP, "half.jsonl")
    with open(pred, "w") as f:
        for it in half:
            f.write(json.dumps({"id": it["id"], "answer": it["answer"]}) + "\n")
    rep = json.loads(run("score", "--gold", os.path.join(dataset, "test.jsonl"), "--pred", pred, "--json").stdout)
    got = utils.misi_headline(half)
    check(0 < got < 100 and abs(got - rep["headline"]["score"]) < 1e-9,
          "the hook gives %r, misi score on the dataset %r" % (got, rep["headline"]["score"]))


def case_llava(ds, dataset):
    out = export(dataset, "llava", os.path.join(TMP, "llava"))  # default split: train
    with open(os.path.join(out, "train.json"), encoding="utf-8") as f:
        data = json.load(f)
    recs, convs = ds.records("train"), ds.conversations("train")
    check([d["id"] for d in data] == [r["id"] for r in recs], "records in order")
    for d, r, c in zip(data, recs, convs):
        check(set(d) == {"id", "image", "conversations"}, d["id"] + ": keys %s" % sorted(d))
        imgs = d["image"] if isinstance(d["image"], list) else [d["image"]]
        check(imgs == r["images"], d["id"] + ": image list")
        check(d["conversations"] == c["conversations"], d["id"] + ": turns")
        human = [t for t in d["conversations"] if t["from"] == "human"][0]["value"]
        check(human.count("<image>") == len(imgs), d["id"] + ": one <image> per image")
        check([t for t in d["conversations"] if t["from"] == "gpt"][0]["value"] == r["answer"], d["id"] + ": answer")
        for p in imgs:
            with open(os.path.join(out, p), "rb") as f:
                check(f.read() == ds.image(p), d["id"] + ": " + p)


def case_wds(ds, dataset):
    out = export(dataset, "wds", os.path.join(TMP, "wds"), "--split", "all", "--shard-samples", "4")
    for split, recs in splits_of(ds):
        shards = sorted(n for n in os.listdir(out) if n.startswith(split + "-") and n.endswith(".tar"))
        check(len(shards) == (len(recs) + 3) // 4, "%s: %d shards for %d questions" % (split, len(shards), len(recs)))
        samples = []  # WebDataset's grouping: consecutive members sharing a key
        for name in shards:
            with tarfile.open(os.path.join(out, name)) as t:
                for m in t.getmembers():
                    check(m.isfile() and m.mtime == 0 and m.uid == 0, m.name + ": a reproducible member")
                    key, _, ext = m.name.partition(".")
                    if not samples or samples[-1]["__key__"] != key:
                        samples.append({"__key__": key})
                    check(ext not in samples[-1], "%s: %s twice in one sample" % (key, ext))
                    samples[-1][ext] = t.extractfile(m).read()
        check([s["__key__"] for s in samples] == [r["id"].replace(".", "+") for r in recs], split + ": keys in order")
        check(split == "test" or any("." in r["id"] for r in recs), "the fixture has an id with a dot")
        for s, r in zip(samples, recs):
            check(json.loads(s["json"]) == exported(r), r["id"] + ": the json is the record without truth")
            pngs = sorted((k for k in s if k.endswith(".png")), key=lambda k: int(k.split(".")[0]))
            check(pngs == ["%d.png" % (i + 1) for i in range(len(r["images"]))], r["id"] + ": %s" % pngs)
            for i, p in enumerate(r["images"]):
                check(s["%d.png" % (i + 1)] == ds.image(p), "%s: image %d" % (r["id"], i + 1))


def case_same(loose, tar):
    for fmt in ("vlmevalkit", "lmms-eval", "llava", "wds"):
        a = export(loose, fmt, os.path.join(TMP, fmt + "-loose"), "--split", "all")
        b = export(tar, fmt, os.path.join(TMP, fmt + "-tar"), "--split", "all")
        shutil.rmtree(a)
        a2 = export(loose, fmt, a, "--split", "all")
        ta, tb = tree_bytes(a2), tree_bytes(b)
        check(ta == tb, "%s: loose and tar exports differ: %s" % (fmt, sorted(set(ta.items()) ^ set(tb.items()))[:4]))
    ds = Dataset(loose)
    out = export(loose, "lmms-eval", os.path.join(TMP, "some"), "--tasks", "5,rotation,pocket_ligand")
    with open(os.path.join(out, "test.jsonl"), encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f]
    want = [r["id"] for r in ds.records("test") if r["task"] in ("translation_rotation", "rotation", "pocket_ligand")]
    check(ids == want and len(set(r.split("-")[1] for r in ids)) == 3, "--tasks: %s, not %s" % (ids, want))
    with open(os.path.join(out, "misi-export.json")) as f:
        check(json.load(f)["tasks"] == ["rotation", "translation_rotation", "pocket_ligand"], "marker's tasks")
    # --force replaces an earlier export with what a fresh one would be
    run("export", "--format", "lmms-eval", "--force", "--out", out, loose)
    fresh = export(loose, "lmms-eval", os.path.join(TMP, "fresh"))
    check(tree_bytes(out) == tree_bytes(fresh), "--force leaves what a fresh export leaves")


def leftovers(parent):
    return [n for n in os.listdir(parent) if ".export-tmp." in n or ".export-old." in n]


def refused(args, code, words, out=None):
    p = run("export", *args, ok=False)
    check(p.returncode == code, "misi export %s: exit %d, not %d\n%s" % (" ".join(args), p.returncode, code, p.stderr))
    for w in words:
        check(w in p.stderr, "misi export %s: the error does not say %r:\n%s" % (" ".join(args), w, p.stderr))
    if out:
        check(not os.path.exists(out), "%s was left behind" % out)
        check(not leftovers(os.path.dirname(out)), "temporaries left: %s" % leftovers(os.path.dirname(out)))


def rewrite_manifest(root, edit):
    """Change a dataset file and record its new hash, as if misi wrote it."""
    mpath = os.path.join(root, "manifest.json")
    with open(mpath) as f:
        m = json.load(f)
    edit(m)
    for e in m["files"]:
        with open(os.path.join(root, e["path"]), "rb") as f:
            data = f.read()
        e["sha256"], e["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    with open(mpath, "w") as f:
        json.dump(m, f)


def case_bad(loose, tar):
    out = os.path.join(TMP, "bad-out")
    refused(["--format", "llava", "--out", out, os.path.join(TMP, "nope")], 1, ["nope", "no such folder"], out)
    refused(["--format", "csv", loose], 2, ["csv", "vlmevalkit, lmms-eval, llava, wds"])
    refused(["--format", "wds", "--split", "dev", loose], 2, ["dev", "train, test, all"])
    refused(["--format", "wds", "--tasks", "2,teleport", loose], 2, ["teleport", "translation", "pocket_ligand"])
    refused(["--format", "wds", loose, "--out"], 2, ["--out needs a value"])
    refused(["--split", "test", loose], 2, ["which --format"])
    refused(["--format", "wds", "--out", os.path.join(loose, "x"), loose], 2, ["inside the dataset"])

    # a damaged image, a missing one, a damaged shard: refused by name, nothing left
    d = os.path.join(TMP, "damaged")
    shutil.copytree(loose, d)
    last = Dataset(d).records("test")[-1]["images"][-1]  # read late: records were already written
    with open(os.path.join(d, last), "r+b") as f:
        f.seek(40)
        b = f.read(1)
        f.seek(40)
        f.write(bytes([b[0] ^ 1]))
    for fmt in ("vlmevalkit", "lmms-eval", "llava", "wds"):
        refused(["--format", fmt, "--split", "all", "--out", out, d], 1, [last, "damaged", "manifest.json"], out)
    os.unlink(os.path.join(d, last))
    refused(["--format", "wds", "--split", "test", "--out", out, d], 1, [last, "missing"], out)

    t = os.path.join(TMP, "damaged-tar")
    shutil.copytree(tar, t)
    shard = sorted(os.listdir(os.path.join(t, "shards")))[-1]
    with open(os.path.join(t, "shards", shard), "r+b") as f:
        f.seek(512 + 100)  # inside the first member's bytes
        b = f.read(1)
        f.seek(512 + 100)
        f.write(bytes([b[0] ^ 1]))
    refused(["--format", "vlmevalkit", "--split", "all", "--out", out, t], 1, ["shards/" + shard, "damaged"], out)

    # an earlier export survives a failed --force untouched
    good = export(loose, "wds", os.path.join(TMP, "kept"), "--split", "test")
    before = tree_bytes(good)
    refused(["--format", "wds", "--split", "test", "--force", "--out", good, d], 1, ["missing"])
    check(tree_bytes(good) == before and not leftovers(TMP), "a failed --force changed the earlier export")
    refused(["--format", "wds", "--split", "test", "--out", good, loose], 2, ["exists", "--force"])
    # what a killed export leaves (kill -9: no cleanup ran) goes with the next
    # export to that place: its temporary is removed, and an earlier export an
    # interrupted --force had moved aside is put back; a live process's are kept
    dead = subprocess.Popen(["true"])
    dead.wait()
    killed_tmp = "%s.export-tmp.%d" % (good, dead.pid)
    live_tmp = "%s.export-tmp.%d" % (good, os.getpid())
    for p in (killed_tmp, live_tmp):
        os.makedirs(os.path.join(p, "images"))
    refused(["--format", "wds", "--split", "test", "--out", good, loose], 2, ["exists", "--force"])
    check(not os.path.exists(killed_tmp), "a killed export's temporary was left")
    check(os.path.isdir(live_tmp), "a running export's temporary was removed")
    shutil.rmtree(live_tmp)
    os.rename(good, "%s.export-old.%d" % (good, dead.pid))
    refused(["--format", "wds", "--split", "test", "--out", good, loose], 2, ["exists", "--force"])
    check(tree_bytes(good) == before and not leftovers(TMP), "an interrupted --force's earlier export was not put back")
    # a folder misi export did not make is never replaced, even with --force
    foreign = os.path.join(TMP, "foreign")
    os.mkdir(foreign)
    with open(os.path.join(foreign, "notes.txt"), "w") as f:
        f.write("mine\n")
    refused(["--format", "wds", "--force", "--out", foreign, loose], 2, ["not an export of misi's"])
    check(os.listdir(foreign) == ["notes.txt"], "a foreign folder was touched")

    # a malformed record (its file re-hashed, so only the record is wrong)
    m = os.path.join(TMP, "malformed")
    shutil.copytree(loose, m)
    with open(os.path.join(m, "test.jsonl")) as f:
        lines = f.readlines()
    orig, rec = lines[2], json.loads(lines[2])
    rec["images"] = ["../../etc/passwd"]
    lines[2] = json.dumps(rec) + "\n"
    lines[4] = "{not json\n"
    with open(os.path.join(m, "test.jsonl"), "w") as f:
        f.writelines(lines)
    rewrite_manifest(m, lambda man: None)
    refused(["--format", "lmms-eval", "--out", out, m], 1, ["test.jsonl:3", "images/<complex>/<file>"], out)
    lines[2] = orig
    with open(os.path.join(m, "test.jsonl"), "w") as f:
        f.writelines(lines)
    rewrite_manifest(m, lambda man: None)
    refused(["--format", "lmms-eval", "--out", out, m], 1, ["test.jsonl:5", "not JSON"], out)

    # an unfinished run, a dataset without the split asked for
    u = os.path.join(TMP, "unfinished")
    shutil.copytree(loose, u)
    rewrite_manifest(u, lambda man: man.__setitem__("complete", False))
    refused(["--format", "wds", "--out", out, u], 1, ["unfinished", "--resume"], out)
    rewrite_manifest(u, lambda man: (man.__setitem__("complete", True),
                                     man.__setitem__("files", [e for e in man["files"] if e["path"] != "train.jsonl"])))
    refused(["--format", "wds", "--split", "train", "--out", out, u], 1, ["no train split"], out)


def main():
    loose, tar = os.path.join(TMP, "loose"), os.path.join(TMP, "tar")
    try:
        generate(loose, "files")
        if CASE in ("same", "bad"):
            generate(tar, "tar")
        if CASE == "vlmevalkit":
            case_vlmevalkit(Dataset(loose), loose)
        elif CASE == "lmms":
            case_lmms(Dataset(loose), loose)
        elif CASE == "llava":
            case_llava(Dataset(loose), loose)
        elif CASE == "wds":
            generate(tar, "tar", dotted=True)  # read back from shards; an id with a dot
            case_wds(Dataset(tar), tar)
        elif CASE == "same":
            case_same(loose, tar)
        elif CASE == "bad":
            case_bad(loose, tar)
        else:
            fail("unknown case " + CASE)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("ok: " + CASE)


if __name__ == "__main__":
    main()
