"""Runs pycocotools' COCOeval (bbox) on each fixture set and prints expected.json to stdout.

Needs a locally built pycocotools on sys.path (see README.md). Usage:
  PYTHONPATH=/tmp/cocoapi/PythonAPI /usr/bin/python3 run_pycocotools.py <dir> set1 set2 ... > expected.json
"""
import contextlib
import io
import json
import os
import sys

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def evaluate(d):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(os.path.join(d, "instances.json"))
        dt = gt.loadRes(os.path.join(d, "results.json"))
        e = COCOeval(gt, dt, "bbox")
        e.evaluate()
        e.accumulate()
        e.summarize()
    prec = e.eval["precision"]  # [T, R, K, A, M]
    class_ap, class_ap50 = [], []
    for k in range(prec.shape[2]):
        s = prec[:, :, k, 0, 2]
        class_ap.append(float(np.mean(s[s > -1])) if (s > -1).any() else -1.0)
        s = prec[0, :, k, 0, 2]
        class_ap50.append(float(np.mean(s[s > -1])) if (s > -1).any() else -1.0)
    return {"stats": [float(v) for v in e.stats], "catIds": [int(c) for c in e.params.catIds],
            "classAp": class_ap, "classAp50": class_ap50}


if __name__ == "__main__":
    base = sys.argv[1]
    print(json.dumps({name: evaluate(os.path.join(base, name)) for name in sys.argv[2:]}, indent=1))
