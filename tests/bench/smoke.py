#!/usr/bin/env python3
"""misi bench -n 8 --size 128 --json runs and reports every stage.

Never asserts on time values (STYLE.md §11): only that each stage is there,
is a number, and that some images were made per second. Exit 77 (skip) when
the renderer finds no OpenGL ES context."""
import json
import os
import subprocess
import sys

misi = sys.argv[1]
p = subprocess.run([misi, "bench", "-n", "8", "--size", "128", "--json"], capture_output=True, text=True)
if p.returncode != 0:
    sys.stderr.write(p.stderr)
    if ("EGL" in p.stderr or "OpenGL ES" in p.stderr) and not os.environ.get("MISI_REQUIRE_GL"):
        sys.exit(77)
    sys.exit(1)
r = json.loads(p.stdout)
stages = ["load_s", "scene_s", "upload_s", "render_readback_s", "render_s", "readback_s", "callback_s",
          "encode_s", "write_s", "submit_wait_s", "drain_s", "qa_s"]
missing = [s for s in stages if not isinstance(r.get("stages", {}).get(s), (int, float))]
assert not missing, f"stages missing: {missing}"
st = r["stages"]
# render and readback split render_readback_s between them (a sum, not a timing claim)
assert st["readback_s"] > 0 and st["render_s"] >= 0, st
assert abs(st["render_s"] + st["readback_s"] - st["render_readback_s"]) < 1e-6, st
for k in ["images", "images_per_s", "total_s", "cpu_s", "peak_rss_kb", "device", "batch_size", "threads",
          "qa_questions", "bytes_out"]:
    assert k in r, f"{k} missing"
assert r["images"] == 8, r["images"]
assert r["width"] == 128 and r["height"] == 128
assert r["images_per_s"] > 0
assert r["bytes_out"] > 0
assert r["device"]
print("ok:", r["complex"], r["images_per_s"], "images/s")
