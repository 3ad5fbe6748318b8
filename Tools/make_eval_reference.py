#!/usr/bin/env python3
"""Writes the detection-evaluation test case and its expected results, computed by independent references.

Outputs (committed) in Fixtures/eval/:
  ground_truth.json  {"classes": [...], "images": {name: [{"className", "box": {xmin, ymin, xmax, ymax}, "difficult"}]}}
  detections.json    [{"image", "className", "score", "box"}]
  expected.json      {"ap50PerClass", "mAP50"} from the PASCAL VOC devkit algorithm (voc_eval, VOC2010+
                     all-point AP; a numpy transcription below) and {"apPerClass", "mAP"} from pycocotools'
                     COCOeval (bbox, area "all", maxDets 100) with difficult objects as ignored regions.

The case covers ties in score, difficult boxes, images without objects, a class without ground truth,
a class without detections, duplicate detections, more than 100 detections in one image, and boxes whose
IoU is exactly 0.5 (VOC needs > 0.5, COCO ≥ 0.5).

Boxes use the VOC convention (1-based, inclusive pixels); for pycocotools they become
[xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1]. Ties: both references rank detections with a
stable sort (numpy kind="mergesort"/"stable"), as the Swift evaluator does.

Run: pip install numpy pycocotools && python3 Tools/make_eval_reference.py
"""
import json
import os

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "eval")
CLASSES = ["car", "person", "bicycle", "boat"]  # boat: detections only; bicycle: ground truth only


def make_case():
    rng = np.random.default_rng(2026)
    images, detections = {}, []

    def box(x0, y0, w, h):
        return {"xmin": float(x0), "ymin": float(y0), "xmax": float(x0 + w - 1), "ymax": float(y0 + h - 1)}

    for i in range(12):
        name = f"img_{i:02d}"
        objects = []
        if i not in (3, 7):  # two images without any object
            for _ in range(rng.integers(1, 5)):
                cls = ["car", "person", "bicycle"][rng.integers(0, 3)]
                x0, y0 = int(rng.integers(1, 400)), int(rng.integers(1, 300))
                w, h = int(rng.integers(8, 120)), int(rng.integers(8, 120))
                objects.append({"className": cls, "box": box(x0, y0, w, h), "difficult": bool(rng.random() < 0.15)})
        images[name] = objects
        for obj in objects:
            if obj["className"] == "bicycle":
                continue
            b = obj["box"]
            for _ in range(rng.integers(0, 3)):  # 0, 1 or 2 (duplicate) detections per object
                jitter = rng.normal(0, 0.12 * (b["xmax"] - b["xmin"] + 1), 4).round()
                d = {k: float(v + j) for (k, v), j in zip(b.items(), jitter)}
                d["xmax"], d["ymax"] = max(d["xmax"], d["xmin"] + 2), max(d["ymax"], d["ymin"] + 2)
                detections.append({"image": name, "className": obj["className"],
                                   "score": float(np.round(rng.random(), 1)), "box": d})  # rounded: many ties
        for _ in range(rng.integers(0, 4)):  # false positives anywhere, including on empty images
            x0, y0 = int(rng.integers(1, 400)), int(rng.integers(1, 300))
            detections.append({"image": name, "className": CLASSES[rng.integers(0, 4)],
                               "score": float(np.round(rng.random(), 2)), "box": box(x0, y0, int(rng.integers(8, 80)), int(rng.integers(8, 80)))})
    # IoU exactly 0.5: a 10×10 object and a detection covering its top half.
    images["img_12"] = [{"className": "person", "box": box(1, 1, 10, 10), "difficult": False}]
    detections.append({"image": "img_12", "className": "person", "score": 0.55, "box": box(1, 1, 10, 5)})
    # More than 100 detections on one image (COCO keeps the best 100).
    images["img_13"] = [{"className": "car", "box": box(50, 50, 40, 30), "difficult": False}]
    for k in range(120):
        detections.append({"image": "img_13", "className": "car", "score": float(np.round(0.45 - k * 0.003, 3)),
                           "box": box(50 + (k % 7), 50 + (k % 5), 40, 30)})
    return images, detections


def voc_iou(bb, gt):
    ixmin, iymin = np.maximum(gt[:, 0], bb[0]), np.maximum(gt[:, 1], bb[1])
    ixmax, iymax = np.minimum(gt[:, 2], bb[2]), np.minimum(gt[:, 3], bb[3])
    iw, ih = np.maximum(ixmax - ixmin + 1.0, 0.0), np.maximum(iymax - iymin + 1.0, 0.0)
    inters = iw * ih
    uni = (bb[2] - bb[0] + 1.0) * (bb[3] - bb[1] + 1.0) + (gt[:, 2] - gt[:, 0] + 1.0) * (gt[:, 3] - gt[:, 1] + 1.0) - inters
    return inters / uni


def voc_ap(images, detections, cls, thresh=0.5):
    """The VOC devkit's voc_eval (use_07_metric=False), with a stable ranking of equal scores."""
    recs, npos = {}, 0
    for name, objs in images.items():
        mine = [o for o in objs if o["className"] == cls]
        bbox = np.array([[o["box"][k] for k in ("xmin", "ymin", "xmax", "ymax")] for o in mine]).reshape(-1, 4)
        difficult = np.array([o["difficult"] for o in mine], dtype=bool)
        npos += int((~difficult).sum())
        recs[name] = {"bbox": bbox, "difficult": difficult, "det": [False] * len(mine)}
    if npos == 0:
        return None
    dets = [d for d in detections if d["className"] == cls]
    conf = np.array([d["score"] for d in dets])
    order = np.argsort(-conf, kind="stable")
    tp, fp = np.zeros(len(dets)), np.zeros(len(dets))
    for rank, idx in enumerate(order):
        d = dets[idx]
        r = recs[d["image"]]
        bb = np.array([d["box"][k] for k in ("xmin", "ymin", "xmax", "ymax")])
        ovmax = -np.inf
        if r["bbox"].size > 0:
            overlaps = voc_iou(bb, r["bbox"])
            ovmax, jmax = np.max(overlaps), np.argmax(overlaps)
        if ovmax > thresh:
            if not r["difficult"][jmax]:
                if not r["det"][jmax]:
                    tp[rank] = 1.0
                    r["det"][jmax] = True
                else:
                    fp[rank] = 1.0
        else:
            fp[rank] = 1.0
    fp, tp = np.cumsum(fp), np.cumsum(tp)
    rec = tp / float(npos)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


class COCOevalDifficultIgnored(COCOeval):
    """COCOeval whose ground truth marked "difficult" is an ignored region (its _prepare overwrites 'ignore')."""

    def _prepare(self):
        super()._prepare()
        for gts in self._gts.values():
            for g in gts:
                g["ignore"] = int(g.get("difficult", 0))


def coco_ap(images, detections):
    names = sorted(images)
    ids = {n: i + 1 for i, n in enumerate(names)}
    cats = {c: k + 1 for k, c in enumerate(CLASSES)}
    xywh = lambda b: [b["xmin"] - 1, b["ymin"] - 1, b["xmax"] - b["xmin"] + 1, b["ymax"] - b["ymin"] + 1]
    anns = []
    for n in names:
        for o in images[n]:
            bb = xywh(o["box"])
            anns.append({"id": len(anns) + 1, "image_id": ids[n], "category_id": cats[o["className"]], "bbox": bb,
                         "area": bb[2] * bb[3], "iscrowd": 0, "difficult": int(o["difficult"])})
    gt = COCO()
    gt.dataset = {"images": [{"id": ids[n], "file_name": n, "width": 640, "height": 480} for n in names],
                  "annotations": anns, "categories": [{"id": cats[c], "name": c} for c in CLASSES]}
    gt.createIndex()
    dt = gt.loadRes([{"image_id": ids[d["image"]], "category_id": cats[d["className"]], "bbox": xywh(d["box"]),
                      "score": d["score"]} for d in detections])
    ev = COCOevalDifficultIgnored(gt, dt, "bbox")
    ev.evaluate()
    ev.accumulate()
    ev.summarize()
    precision = ev.eval["precision"]  # [T, R, K, A, M]
    per_class = {}
    for k, c in enumerate(CLASSES):
        p = precision[:, :, k, 0, -1]
        per_class[c] = float(np.mean(p[p > -1])) if (p > -1).any() else None
    return per_class, float(ev.stats[0])


def main():
    images, detections = make_case()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ground_truth.json"), "w") as f:
        json.dump({"classes": CLASSES, "images": images}, f, indent=1, sort_keys=True)
    with open(os.path.join(OUT, "detections.json"), "w") as f:
        json.dump(detections, f, indent=1, sort_keys=True)
    ap50 = {c: voc_ap(images, detections, c) for c in CLASSES}
    defined = [v for v in ap50.values() if v is not None]
    per_class, overall = coco_ap(images, detections)
    expected = {"ap50PerClass": ap50, "mAP50": sum(defined) / len(defined), "apPerClass": per_class, "mAP": overall}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    print(json.dumps(expected, indent=1))


if __name__ == "__main__":
    main()
