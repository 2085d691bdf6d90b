"""Writes the synthetic COCO ground-truth / results pairs used by CocoReferenceTest.

Deterministic (seeded random.Random); plain Python, no pycocotools. Coordinates are multiples of
0.25 so that [x, y, w, h] and corner forms convert exactly in both languages.
Usage: /usr/bin/python3 make_fixtures.py <out-dir>
"""
import json
import os
import random
import sys

W, H = 640, 480


def q(v):
    return round(v * 4) / 4.0


def rand_box(r, lo=6, hi=300):
    w = q(min(W - 1, lo * (hi / lo) ** r.random()))
    h = q(min(H - 1, w * 2 ** (r.random() * 2 - 1)))
    x = q(r.random() * (W - w))
    y = q(r.random() * (H - h))
    return [x, y, max(w, 1.0), max(h, 1.0)]


def jitter(r, b, s):
    x, y, w, h = b
    return [q(x + (r.random() - 0.5) * s * w), q(y + (r.random() - 0.5) * s * h),
            max(1.0, q(w * (1 + (r.random() - 0.5) * s))), max(1.0, q(h * (1 + (r.random() - 0.5) * s)))]


def make(seed, n_images, cat_ids, no_gt_cat, max_gt, max_dt, crowd_p, heavy_image=False):
    r = random.Random(seed)
    gt_cats = [c for c in cat_ids if c != no_gt_cat]
    img_ids = r.sample(range(1, 10 * n_images), n_images)  # non-contiguous, unsorted in the file
    images, anns, results = [], [], []
    for img in img_ids:
        images.append({"id": img, "width": W, "height": H, "file_name": "%d.jpg" % img})
        objs = []
        for _ in range(r.randint(0, max_gt)):
            b = rand_box(r)
            crowd = 1 if r.random() < crowd_p else 0
            if crowd:
                b = rand_box(r, 80, 300)
            area = b[2] * b[3]
            u = r.random()
            if u < 0.15:
                area = q(area * (0.5 + 0.4 * r.random()))  # a "segmentation" area below the box area
            elif u < 0.20:
                area = r.choice([1024.0, 9216.0])  # exactly on a range boundary
            o = {"id": len(anns) + 1, "image_id": img, "category_id": r.choice(gt_cats), "bbox": b,
                 "area": area, "iscrowd": crowd}
            anns.append(o)
            objs.append(o)
        dets = []
        n_dt = r.randint(0, max_dt)
        for o in objs:
            for _ in range(r.choice([0, 1, 1, 1, 2])):  # missed, found, or found twice
                cat = o["category_id"] if r.random() < 0.85 else r.choice(cat_ids)
                dets.append({"image_id": img, "category_id": cat, "bbox": jitter(r, o["bbox"], r.choice([0.0, 0.1, 0.3, 0.6])),
                             "score": round(r.random(), r.choice([1, 2, 3]))})
            if o["iscrowd"]:  # boxes inside the crowd region
                x, y, w, h = o["bbox"]
                for _ in range(r.randint(1, 3)):
                    dets.append({"image_id": img, "category_id": o["category_id"],
                                 "bbox": [q(x + r.random() * w / 2), q(y + r.random() * h / 2), q(w / 4), q(h / 4)],
                                 "score": round(r.random(), 1)})
        while len(dets) < n_dt:
            dets.append({"image_id": img, "category_id": r.choice(cat_ids), "bbox": rand_box(r),
                         "score": round(r.random() * 0.7, r.choice([1, 2]))})
        if heavy_image and objs:
            o = objs[0]
            for _ in range(120):  # more than maxDets=100 of one category in one image
                dets.append({"image_id": img, "category_id": o["category_id"], "bbox": jitter(r, o["bbox"], 0.8),
                             "score": round(r.random(), 2)})
        results.extend(dets)
    r.shuffle(results)  # file order is arbitrary; per-image relative order is what both tools keep
    cats = [{"id": c, "name": "c%d" % c} for c in cat_ids]
    return {"images": images, "annotations": anns, "categories": cats}, results


SETS = {
    "set1": dict(seed=11, n_images=40, cat_ids=[1, 2, 3, 5, 8, 13], no_gt_cat=13, max_gt=8, max_dt=30, crowd_p=0.08),
    "set2": dict(seed=22, n_images=40, cat_ids=[1, 2, 3, 4, 5, 6], no_gt_cat=6, max_gt=12, max_dt=30, crowd_p=0.15),
    "set3": dict(seed=33, n_images=12, cat_ids=[7, 9, 11], no_gt_cat=None, max_gt=5, max_dt=10, crowd_p=0.05,
                 heavy_image=True),
}

if __name__ == "__main__":
    out = sys.argv[1]
    for name, kw in SETS.items():
        gt, dt = make(**kw)
        os.makedirs(os.path.join(out, name), exist_ok=True)
        with open(os.path.join(out, name, "instances.json"), "w") as f:
            json.dump(gt, f)
        with open(os.path.join(out, name, "results.json"), "w") as f:
            json.dump(dt, f)
