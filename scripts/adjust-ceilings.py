#!/usr/bin/env python3
"""Per-photo colour-map ceilings for `lux adjust` (issue #9), measured before building: for each held-out photo of
yan-semantic (Sources/LuxAdjust/Resources/VAL.txt), least-squares fit a map from per-pixel features to the photo's
OWN target (not a method: the most such a map could do on that photo), then the mean per-pixel CIELab L2 of the
8-bit-quantised result, averaged over the photos -- the "(per-photo global fit)" of `lux train adjust --validate`
when the features are Yan et al.'s quadratic Lab basis (this script reproduces it: pop-out 5.69, watercolor 6.95).
Features: the basis of the pixel or of an edge-aware smoothing (domain-transform recursive filter, the same as
EdgeAwareSmoothing.swift; sigma_s in px at 512 px, sigma_r in Lab), smoothed Lab planes as linear terms, and the basis
times quadratic position terms. numpy only (PNG decoded here). Usage: adjust-ceilings.py DATA EFFECT...
"""
import os, struct, sys, zlib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VAL = [l.strip() for l in open(os.path.join(HERE, "../Sources/LuxAdjust/Resources/VAL.txt")) if l.strip() and not l.startswith("#")]
def read_png(path):
    d=open(path,'rb').read(); assert d[:8]==b'\x89PNG\r\n\x1a\n'
    pos=8; idat=b''; 
    while pos<len(d):
        ln,=struct.unpack('>I',d[pos:pos+4]); t=d[pos+4:pos+8]; c=d[pos+8:pos+8+ln]; pos+=12+ln
        if t==b'IHDR': w,h,bd,ct,_,_,il=struct.unpack('>IIBBBBB',c)
        elif t==b'IDAT': idat+=c
    assert bd==8 and il==0, (bd,il)
    ch={2:3,6:4,0:1,4:2}[ct]; raw=np.frombuffer(zlib.decompress(idat),np.uint8)
    stride=w*ch; raw=raw.reshape(h,stride+1); out=np.zeros((h,stride),np.int32); prev=np.zeros(stride,np.int32)
    for y in range(h):
        f=raw[y,0]; r=raw[y,1:].astype(np.int32)
        if f==0: cur=r
        elif f==1:
            cur=r.copy()
            for k in range(ch): cur[k::ch]=np.cumsum(r[k::ch])%256
        elif f==2: cur=(r+prev)%256
        else:
            cur=np.zeros(stride,np.int32); rl=r.tolist(); pl=prev.tolist(); cl=[0]*stride
            for x in range(stride):
                a=cl[x-ch] if x>=ch else 0; b=pl[x]
                if f==3: cl[x]=(rl[x]+((a+b)>>1))&255
                else:
                    c=pl[x-ch] if x>=ch else 0; p=a+b-c; pa=abs(p-a); pb=abs(p-b); pc=abs(p-c)
                    pr=a if (pa<=pb and pa<=pc) else (b if pb<=pc else c); cl[x]=(rl[x]+pr)&255
            cur=np.array(cl,np.int32)
        out[y]=cur; prev=cur
    img=out.reshape(h,w,ch)[:,:,:3] if ch>=3 else np.repeat(out.reshape(h,w,1),3,2)
    return img.astype(np.float64)/255
def srgb_to_lin(c): return np.where(c<=0.04045,c/12.92,((c+0.055)/1.055)**2.4)
def lin_to_srgb(c): c=np.clip(c,0,1); return np.where(c<=0.0031308,c*12.92,1.055*c**(1/2.4)-0.055)
M=np.array([[0.4124564,0.3575761,0.1804375],[0.2126729,0.7151522,0.0721750],[0.0193339,0.1191920,0.9503041]])
WP=np.array([0.95047,1.0,1.08883])
def lab_from_lin(rgb):
    xyz=rgb@M.T/WP; e=216/24389; k=24389/27
    f=np.where(xyz>e,np.cbrt(xyz),(k*xyz+16)/116)
    return np.stack([116*f[...,1]-16,500*(f[...,0]-f[...,1]),200*(f[...,1]-f[...,2])],-1)
def lin_from_lab(lab):
    fy=(lab[...,0]+16)/116; fx=fy+lab[...,1]/500; fz=fy-lab[...,2]/200; e=216/24389; k=24389/27
    def inv(f): return np.where(f**3>e,f**3,(116*f-16)/k)
    xyz=np.stack([inv(fx),inv(fy),inv(fz)],-1)*WP
    return xyz@np.linalg.inv(M).T
def quant_lab(lab):
    s=np.round(lin_to_srgb(lin_from_lab(lab))*255)/255; return lab_from_lin(srgb_to_lin(s))
def load(root, folder, id): return lab_from_lin(srgb_to_lin(read_png(f"{root}/{folder}/{id}.png")))
def dist(a,b): return np.sqrt(((a-b)**2).sum(-1)).mean()
def domain_transform(lab,sigma_s,sigma_r,iters=3,guide=None):
    g=lab if guide is None else guide
    h,w,_=lab.shape; ratio=sigma_s/sigma_r
    dx=np.ones((h,w)); dy=np.ones((h,w))
    dx[:,1:]=1+ratio*np.abs(np.diff(g,axis=1)).sum(-1); dy[1:,:]=1+ratio*np.abs(np.diff(g,axis=0)).sum(-1)
    out=lab.copy(); n=iters
    for it in range(iters):
        sh=sigma_s*np.sqrt(3)*2**(n-it-1)/np.sqrt(4**n-1); a=np.exp(-np.sqrt(2)/sh)
        wx=a**dx; wy=a**dy
        for x in range(1,w): out[:,x]+=wx[:,x,None]*(out[:,x-1]-out[:,x])
        for x in range(w-2,-1,-1): out[:,x]+=wx[:,x+1,None]*(out[:,x+1]-out[:,x])
        for y in range(1,h): out[y]+=wy[y,:,None]*(out[y-1]-out[y])
        for y in range(h-2,-1,-1): out[y]+=wy[y+1,:,None]*(out[y+1]-out[y])
    return out
def basis(lab):
    l=lab[...,0]/50-1; u=lab[...,1]/50; v=lab[...,2]/50
    return np.stack([l,u,v,l*l,u*u,v*v,l*u,l*v,u*v,np.ones_like(l)],-1)
def fit_eval(F,target,stride=3):
    X=F.reshape(-1,F.shape[-1]); Y=target.reshape(-1,3)
    A=X[::stride]; B=Y[::stride]
    W=np.linalg.solve(A.T@A+1e-6*np.diag(np.maximum(np.diag(A.T@A),1)),A.T@B)
    return (X@W).reshape(target.shape)

def features(x):
    """name -> per-pixel feature planes [h, w, F] of the input Lab x."""
    S = {p: domain_transform(x, *p) for p in [(8, 40), (12, 20), (16, 40), (24, 40), (48, 40)]}
    Bx = basis(x)
    h, w, _ = x.shape
    yy, xx = np.mgrid[0:h, 0:w]
    u, v = xx / w * 2 - 1, yy / h * 2 - 1
    P = np.stack([u, v, u * u, v * v, u * v], -1)
    cat = lambda *a: np.concatenate(a, -1)
    return {
        "basis(pixel)": Bx,
        "basis(pixel)+s12/20": cat(Bx, S[(12, 20)] / 50),
        "basis(s16/40)": basis(S[(16, 40)]),
        "basis(s24/40)": basis(S[(24, 40)]),
        "basis(s24/40)+basis(pixel)": cat(basis(S[(24, 40)]), Bx[..., :9]),
        "basis(s24/40)+s8,s16,s48/40": cat(basis(S[(24, 40)]), S[(8, 40)] / 50, S[(16, 40)] / 50, S[(48, 40)] / 50),
        "basis(pixel)+s12/20,s24/40,s48/40": cat(Bx, S[(12, 20)] / 50, S[(24, 40)] / 50, S[(48, 40)] / 50),
        "basis(pixel)*quadratic(x,y)": cat(Bx, *[Bx * P[..., k:k + 1] for k in range(5)]),
    }

if __name__ == "__main__":
    root, effects = sys.argv[1], sys.argv[2:]
    for eff in effects:
        rows = {}
        for id in VAL:
            x, y = load(root, "input", id), load(root, eff, id)
            rows.setdefault("input", []).append(dist(x, y))
            for k, f in features(x).items(): rows.setdefault(k, []).append(dist(quant_lab(fit_eval(f, y)), y))
        print(f"{eff}: {len(VAL)} held-out photos, mean per-pixel CIELab L2 of a per-photo least-squares fit on the photo's own target")
        for k, v in rows.items(): print(f"  {k:36s} {np.mean(v):6.2f}")
