import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve, roc_auc_score


def recall_at_top(y_true, scores, frac=0.1):
    y_true = np.asarray(y_true)
    k = int(np.ceil(frac * len(y_true)))
    top = np.argsort(-np.asarray(scores))[:k]
    return y_true[top].sum() / max(y_true.sum(), 1)


def best_f1_threshold(y_true, scores):
    prec, rec, thr = precision_recall_curve(y_true, scores)
    f1 = 2 * prec * rec / np.clip(prec + rec, 1e-12, None)
    i = int(np.nanargmax(f1[:-1]))
    return float(thr[i]), float(f1[i])


def summary(y_true, scores, threshold, top_frac=0.1):
    return {
        "roc_auc": roc_auc_score(y_true, scores),
        "pr_auc": average_precision_score(y_true, scores),
        "f1": f1_score(y_true, (np.asarray(scores) >= threshold).astype(int)),
        "recall_at_top": recall_at_top(y_true, scores, top_frac),
    }
