"""PSNR / SSIM / CIEDE2000 of the agent, the unedited input and ImageMagick -auto-level -auto-gamma
against the well-exposed targets written by `lux train agent --validate-to DIR`."""
import glob, os, subprocess, sys
import numpy as np
import imageio.v3 as iio
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from skimage.color import rgb2lab, deltaE_ciede2000

d = sys.argv[1]
rows = {"input": [], "agent": [], "autolevel": []}
byev = {}
for t in sorted(glob.glob(os.path.join(d, "*_target.png"))):
    stem = t[:-len("_target.png")]
    am = stem + "_autolevel.png"
    if not os.path.exists(am):
        subprocess.run(["convert", stem + "_input.png", "-auto-level", "-auto-gamma", am], check=True)
    ref = iio.imread(t)[..., :3].astype(np.float64) / 255
    lab_ref = rgb2lab(ref)
    for k, f in [("input", stem + "_input.png"), ("agent", stem + "_agent.png"), ("autolevel", am)]:
        x = iio.imread(f)[..., :3].astype(np.float64) / 255
        ev = stem.rsplit("_ev", 1)[1]
        m = (peak_signal_noise_ratio(ref, x, data_range=1),
                        structural_similarity(ref, x, channel_axis=2, data_range=1),
                        float(deltaE_ciede2000(lab_ref, rgb2lab(x)).mean()))
        rows[k].append(m); byev.setdefault((ev, k), []).append(m)
for k, v in rows.items():
    a = np.array(v)
    print(f"{k:10s} n={len(v):3d}  PSNR {a[:,0].mean():6.2f} dB  SSIM {a[:,1].mean():.4f}  CIEDE2000 {a[:,2].mean():6.2f}")
for (ev, k), v in sorted(byev.items()):
    a = np.array(v)
    print(f"EV {ev:5s} {k:10s} PSNR {a[:,0].mean():6.2f}  SSIM {a[:,1].mean():.4f}  dE00 {a[:,2].mean():6.2f}")
