#!/usr/bin/env python3
"""misi bench --ceiling runs in both formats and reports every stage.

Never asserts on time values (STYLE.md §11): only that each CPU stage is
there and is a number, that every image was written (bytes out, and in tar
mode a readable shard with every member), and that the projection is
derived. Exit 77 (skip) when the renderer finds no OpenGL ES context."""
import json
import os
import subprocess
import sys
import tarfile
import tempfile

misi = sys.argv[1]
with tempfile.TemporaryDirectory() as tmp:
    for fmt in ["files", "tar"]:
        out = os.path.join(tmp, fmt)
        # tar with the per-complex drain: the ordered sink must survive the pool emptying
        drain = ["--drain"] if fmt == "tar" else []
        p = subprocess.run([misi, "bench", "--ceiling", "-n", "30", "--distinct", "4", "--per-complex", "10",
                            "--size", "96", "--threads", "2", "--format", fmt, "--out", out, "--json"] + drain,
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            if ("EGL" in p.stderr or "OpenGL ES" in p.stderr) and not os.environ.get("MISI_REQUIRE_GL"):
                sys.exit(77)
            sys.exit(1)
        r = json.loads(p.stdout)
        assert r["mode"] == "ceiling" and r["format"] == fmt, r
        st = r["cpu_ms_per_image"]
        for k in ["qa", "handoff", "encode", "hash", "write", "producer", "writers", "stages", "process"]:
            assert isinstance(st.get(k), (int, float)) and st[k] >= 0, (k, st)
        assert r["images"] == 30 and r["distinct"] == 4 and r["threads"] == 2, r
        assert r["qa_runs"] == 3, r  # once per 10 images
        assert r["drain"] == (fmt == "tar") and r["drain_wait_s"] >= 0, r
        assert r["bytes_out"] > 0 and r["images_per_s"] > 0, r
        for k in ["images_per_cpu_s", "producer_cap_images_per_s", "projected_16_cores_images_per_s"]:
            assert isinstance(r.get(k), (int, float)), k
        if fmt == "tar":
            shard = os.path.join(out, "ceiling", "shards", "images-000000.tar")
            with tarfile.open(shard) as t:
                names = t.getnames()
            assert len(names) == 30 and names[0] == "bench-000000.png", names[:3]
        else:
            pngs = [f for d, _, fs in os.walk(os.path.join(out, "ceiling")) for f in fs]
            assert len(pngs) == 30 and all(f.endswith(".png") for f in pngs), pngs[:3]
print("ok")
