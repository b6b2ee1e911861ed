/* An lmms-eval task folder (docs/export.md "lmms-eval"): <split>.jsonl (the
 * records without truth, read with the Hugging Face "json" loader), the
 * images under their own paths, misi_<split>.yaml (the task) and utils.py
 * (its hooks). Scoring is misi's own: the hooks collect the answers in
 * misi's predictions format and run `misi score` on them with the exported
 * records as the gold file, so nothing of the scorer is written twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pipeline/export_internal.h"

typedef struct lmms_state {
    export_file f;
} lmms_state;

static const char YAML[] =
    "# lmms-eval task: the MiSI-Bench %s split, made by misi export (docs/export.md).\n"
    "# Run lmms-eval in this folder (data_files is read relative to it):\n"
    "#   lmms-eval --include_path . --tasks misi_%s --model ... --model_args ...\n"
    "# utils.py scores with `misi score` (misi on PATH, or MISI=/path/to/misi).\n"
    "task: misi_%s\n"
    "dataset_path: json\n"
    "dataset_kwargs:\n"
    "  data_files:\n"
    "    %s: %s.jsonl\n"
    "test_split: %s\n"
    "output_type: generate_until\n"
    "doc_to_visual: !function utils.misi_doc_to_visual\n"
    "doc_to_text: !function utils.misi_doc_to_text\n"
    "doc_to_target: answer\n"
    "generation_kwargs:\n"
    "  max_new_tokens: 128\n"
    "  temperature: 0\n"
    "  do_sample: false\n"
    "process_results: !function utils.misi_process_results\n"
    "metric_list:\n"
    "  - metric: misi_headline\n"
    "    aggregation: !function utils.misi_headline\n"
    "    higher_is_better: true\n"
    "  - metric: misi_average\n"
    "    aggregation: !function utils.misi_average\n"
    "    higher_is_better: true\n"
    "metadata:\n"
    "  version: 1\n";

static const char UTILS[] =
    "\"\"\"lmms-eval hooks for a MiSI-Bench export (misi export --format lmms-eval).\n"
    "\n"
    "Scoring is misi's own: the answers are written as misi's predictions file\n"
    "({\"id\", \"answer\"} per line) and `misi score --json` scores them against the\n"
    "exported records, so every rule of docs/scoring.md applies unchanged. Set\n"
    "MISI to the misi executable when it is not on PATH.\n"
    "\"\"\"\n"
    "import json\n"
    "import os\n"
    "import subprocess\n"
    "import tempfile\n"
    "\n"
    "HERE = os.path.dirname(os.path.abspath(__file__))\n"
    "\n"
    "\n"
    "def misi_image_paths(doc):\n"
    "    \"\"\"The question's images, in its order, as paths in this folder.\"\"\"\n"
    "    return [os.path.join(HERE, p) for p in doc[\"images\"]]\n"
    "\n"
    "\n"
    "def misi_doc_to_visual(doc):\n"
    "    from PIL import Image\n"
    "\n"
    "    return [Image.open(p).convert(\"RGB\") for p in misi_image_paths(doc)]\n"
    "\n"
    "\n"
    "def misi_doc_to_text(doc, lmms_eval_specific_kwargs=None):\n"
    "    kw = lmms_eval_specific_kwargs or {}\n"
    "    return kw.get(\"pre_prompt\", \"\") + doc[\"question\"] + kw.get(\"post_prompt\", \"\")\n"
    "\n"
    "\n"
    "def misi_process_results(doc, results):\n"
    "    answer = results[0] if results else \"\"\n"
    "    item = {\"id\": doc[\"id\"], \"answer\": answer, \"split\": doc[\"split\"]}\n"
    "    return {\"misi_headline\": item, \"misi_average\": item}\n"
    "\n"
    "\n"
    "def misi_score(items):\n"
    "    \"\"\"misi score's JSON report for the answers in items.\"\"\"\n"
    "    splits = sorted({it[\"split\"] for it in items})\n"
    "    if len(splits) != 1:\n"
    "        raise ValueError(\"answers of one split expected, got \" + repr(splits))\n"
    "    gold = os.path.join(HERE, splits[0] + \".jsonl\")\n"
    "    fd, pred = tempfile.mkstemp(prefix=\"misi-pred-\", suffix=\".jsonl\")\n"
    "    try:\n"
    "        with os.fdopen(fd, \"w\", encoding=\"utf-8\") as f:\n"
    "            for it in items:\n"
    "                f.write(json.dumps({\"id\": it[\"id\"], \"answer\": it[\"answer\"]}) + \"\\n\")\n"
    "        misi = os.environ.get(\"MISI\", \"misi\")\n"
    "        out = subprocess.run([misi, \"score\", \"--gold\", gold, \"--pred\", pred, \"--json\"],\n"
    "                             check=True, capture_output=True, text=True).stdout\n"
    "    finally:\n"
    "        os.unlink(pred)\n"
    "    return json.loads(out)\n"
    "\n"
    "\n"
    "def misi_headline(items):\n"
    "    \"\"\"The paper's headline: the mean over tasks but T5 and T6, x100.\"\"\"\n"
    "    return misi_score(items)[\"headline\"][\"score\"]\n"
    "\n"
    "\n"
    "def misi_average(items):\n"
    "    \"\"\"The mean over every task present, x100.\"\"\"\n"
    "    return misi_score(items)[\"average\"][\"score\"]\n";

static int lmms_begin(export_ctx *x, const char *split, misi_error *err)
{
    if (!x->state && !(x->state = calloc(1, sizeof(lmms_state))))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    lmms_state *s = x->state;
    char rel[64];
    snprintf(rel, sizeof rel, "%s.jsonl", split);
    return export_file_open(x, &s->f, rel, err);
}

static int lmms_record(export_ctx *x, const export_record *r, misi_error *err)
{
    lmms_state *s = x->state;
    char *text = cJSON_PrintUnformatted(r->rec);
    if (!text)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    int rc = export_file_puts(&s->f, text, err);
    free(text);
    if (!rc)
        rc = export_file_puts(&s->f, "\n", err);
    for (size_t i = 0; !rc && i < r->nimg; i++)
        rc = export_copy_image(x, &r->img[i], err);
    return rc;
}

static int lmms_end_split(export_ctx *x, const char *split, misi_error *err)
{
    lmms_state *s = x->state;
    int rc = export_file_close(&s->f, err);
    char yaml[sizeof YAML + 64], rel[64];
    snprintf(yaml, sizeof yaml, YAML, split, split, split, split, split, split);
    snprintf(rel, sizeof rel, "misi_%s.yaml", split);
    return rc ? rc : export_write_whole(x, rel, yaml, strlen(yaml), err);
}

static int lmms_end(export_ctx *x, misi_error *err)
{
    return export_write_whole(x, "utils.py", UTILS, sizeof UTILS - 1, err);
}

static void lmms_destroy(export_ctx *x)
{
    lmms_state *s = x->state;
    if (s)
        export_file_drop(&s->f);
    free(s);
    x->state = NULL;
}

const export_writer export_lmms_eval_writer = {
    .split_begin = lmms_begin,
    .record = lmms_record,
    .split_end = lmms_end_split,
    .end = lmms_end,
    .destroy = lmms_destroy,
};
