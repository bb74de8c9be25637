// Lux web page: plain JavaScript against the /v1 API of `lux serve`. No framework, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  original: null,   // the dropped File (full size, for downloads)
  preview: null,    // Blob: the photo at preview size (what is shown and edited live)
  base: null,       // Blob: the image the filter recipe applies to (preview, or an engine's result)
  baseEngine: null, // engine that made `base` (null: the preview itself)
  recipe: { version: 1, steps: [] },
  filters: [],
  renderSeq: 0,
};

function setStatus(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

async function call(path, body) {
  const res = await fetch(path, { method: "POST", body });
  if (!res.ok) {
    let msg = res.status + " " + res.statusText;
    try { msg = (await res.json()).error; } catch (_) {}
    throw new Error(msg);
  }
  return res;
}

function b64Blob(b64, mime) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

function showAfter(blob) {
  const img = $("after");
  const old = img.src;
  img.onload = () => {
    img.dataset.renders = String(Number(img.dataset.renders) + 1);
    if (old.startsWith("blob:")) URL.revokeObjectURL(old);
  };
  img.src = URL.createObjectURL(blob);
}

// ---- filters (white-box sliders) ----

function stepFor(id) { return state.recipe.steps.find((s) => s.filter === id); }

function paramValue(f, p) {
  const s = stepFor(f.id);
  return s && s.params && p.name in s.params ? s.params[p.name] : p.identity;
}

function setParam(f, p, v) {
  let s = stepFor(f.id);
  if (!s) {
    s = { filter: f.id, params: {} };
    for (const q of f.parameters) s.params[q.name] = q.identity;
    state.recipe.steps.push(s);
  }
  s.params[p.name] = v;
}

function buildSliders() {
  const box = $("sliders");
  box.innerHTML = "";
  for (const f of state.filters) {
    const group = f.parameters.length > 3 ? document.createElement("details") : document.createElement("div");
    if (f.parameters.length > 3) {
      const sum = document.createElement("summary");
      sum.textContent = f.id;
      group.appendChild(sum);
    }
    for (const p of f.parameters) {
      const row = document.createElement("label");
      row.className = "slider";
      const name = document.createElement("span");
      name.textContent = f.parameters.length === 1 ? f.id : (f.parameters.length > 3 ? p.name : f.id + "." + p.name);
      name.title = p.summary;
      const input = document.createElement("input");
      input.type = "range";
      input.min = p.min; input.max = p.max;
      input.step = (p.max - p.min) / 200;
      input.id = "f-" + f.id + "-" + p.name;
      input.dataset.filter = f.id; input.dataset.param = p.name;
      const out = document.createElement("output");
      input.addEventListener("input", () => {
        const v = Number(input.value);
        out.textContent = v.toFixed(2);
        setParam(f, p, v);
        scheduleRender();
      });
      row.append(name, input, out);
      group.appendChild(row);
    }
    box.appendChild(group);
  }
  syncSliders();
}

function syncSliders() {
  for (const f of state.filters) {
    for (const p of f.parameters) {
      const input = $("f-" + f.id + "-" + p.name);
      const v = paramValue(f, p);
      input.value = v;
      input.nextSibling.textContent = Number(v).toFixed(2);
    }
  }
}

let renderTimer = null;
function scheduleRender() {
  clearTimeout(renderTimer);
  renderTimer = setTimeout(renderRecipe, 60);
}

// Re-renders the recipe on the preview-size base image (live); the newest request wins.
async function renderRecipe() {
  if (!state.base) return;
  const seq = ++state.renderSeq;
  updateDescription();
  if (state.recipe.steps.length === 0) { showAfter(state.base); return; }
  const form = new FormData();
  form.append("image", state.base, "base.jpg");
  form.append("recipe", JSON.stringify(state.recipe));
  setStatus("Rendering…");
  try {
    const res = await call("/v1/apply?response=image&quality=90", form);
    const blob = await res.blob();
    if (seq === state.renderSeq) { showAfter(blob); setStatus("Ready."); }
  } catch (e) {
    setStatus(e.message, true);
  }
}

function updateDescription() {
  const s = state.recipe.steps.map((st) => st.filter + " " + Object.entries(st.params).map(([k, v]) => k + "=" + Number(v).toFixed(2)).join(",")).join("; ");
  $("description").textContent = s ? "Recipe: " + s : "";
}

// ---- engines ----

function engineQuery(engine) {
  switch (engine) {
    case "agent": return "/v1/enhance?engine=agent&include=recipe,steps";
    case "histogram": return "/v1/enhance?engine=histogram&include=steps";
    case "correct": {
      const s = [...document.querySelectorAll(".scale")].map((i) => i.value || "1").join(",");
      return "/v1/correct?scales=" + encodeURIComponent(s) + "&fusion=" + $("fusion").checked + "&hist-adjust=" + $("histAdjust").checked;
    }
    case "reexpose": {
      const tm = $("tonemap").value;
      return "/v1/reexpose?ev=" + encodeURIComponent($("ev").value) + (tm ? "&tonemap=" + tm : "");
    }
    case "transfer":
      return "/v1/transfer?method=" + $("method").value + "&regrain=" + $("regrain").checked;
    case "adjust":
      return "/v1/adjust?effect=" + $("effect").value;
  }
  return null;
}

function engineForm(engine, image) {
  const form = new FormData();
  form.append("image", image, "photo");
  if (engine === "transfer") {
    const ref = $("reference").files[0];
    if (!ref) throw new Error("choose a reference photo for the colour transfer");
    form.append("reference", ref, "reference");
  }
  return form;
}

function showSteps(steps) {
  const box = $("steps");
  box.innerHTML = "";
  for (const s of steps || []) {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.src = "data:image/png;base64," + s.png;
    const cap = document.createElement("figcaption");
    cap.textContent = s.label;
    fig.append(img, cap);
    box.appendChild(fig);
  }
}

async function runEngine() {
  if (!state.preview) return;
  const engine = $("engine").value;
  const query = engineQuery(engine);
  if (!query) {  // hand edit: the recipe applies to the preview
    state.base = state.preview; state.baseEngine = null;
    showSteps([]);
    return renderRecipe();
  }
  setStatus("Running " + engine + "…");
  $("run").disabled = true;
  try {
    const res = await call(query, engineForm(engine, state.preview));
    const out = await res.json();
    const blob = b64Blob(out.image, out.mime);
    showSteps(out.steps);
    if (engine === "agent") {
      state.base = state.preview; state.baseEngine = null;
      state.recipe = out.recipe || { version: 1, steps: [] };
    } else {
      state.base = blob; state.baseEngine = engine;
      state.recipe = { version: 1, steps: [] };
    }
    syncSliders();
    updateDescription();
    showAfter(blob);
    setStatus(engine + ": done in " + out.seconds.total.toFixed(2) + " s" + (out.description ? " — " + out.description : ""));
  } catch (e) {
    setStatus(e.message, true);
  } finally {
    $("run").disabled = false;
  }
}

async function loadPhoto(file) {
  state.original = file;
  setStatus("Decoding " + file.name + "…");
  try {
    const form = new FormData();
    form.append("image", file, file.name);
    const res = await call("/v1/preview?response=image&quality=92", form);
    state.preview = await res.blob();
    state.base = state.preview; state.baseEngine = null;
    $("before").src = URL.createObjectURL(state.preview);
    showAfter(state.preview);
    for (const id of ["run", "dlImage", "dlRecipe", "dlXMP", "dlCube"]) $(id).disabled = false;
    await runEngine();
  } catch (e) {
    setStatus(e.message, true);
  }
}

// ---- downloads (full size) ----

function save(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function downloadImage() {
  if (!state.original) return;
  const fmt = $("format").value;
  const ext = { jpeg: "jpg", png: "png", tiff: "tif" }[fmt];
  setStatus("Rendering full size…");
  try {
    let image = state.original;
    if (state.baseEngine) {  // the engine again, on the original, then the recipe on its result
      const q = engineQuery(state.baseEngine) + "&response=image&format=" + (state.recipe.steps.length ? "png" : fmt);
      image = await (await call(q, engineForm(state.baseEngine, image))).blob();
      if (!state.recipe.steps.length) { save(image, "lux." + ext); setStatus("Downloaded."); return; }
    }
    const form = new FormData();
    form.append("image", image, "photo");
    form.append("recipe", JSON.stringify(state.recipe));
    save(await (await call("/v1/apply?response=image&format=" + fmt, form)).blob(), "lux." + ext);
    setStatus("Downloaded.");
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function downloadExtra(kind) {
  if (kind === "recipe") {
    save(new Blob([JSON.stringify(state.recipe, null, 2)], { type: "application/json" }), "lux.recipe.json");
    return;
  }
  const form = new FormData();
  form.append("image", state.preview, "preview");
  form.append("recipe", JSON.stringify(state.recipe));
  try {
    const out = await (await call("/v1/apply?include=" + kind, form)).json();
    save(new Blob([out[kind]], { type: "text/plain" }), kind === "xmp" ? "lux.xmp" : "lux.cube");
  } catch (e) {
    setStatus(e.message, true);
  }
}

// ---- wiring ----

function showEngineOptions() {
  for (const el of document.querySelectorAll(".opts")) el.classList.toggle("active", el.dataset.engine === $("engine").value);
}

function setSplit(v) {
  $("afterClip").style.clipPath = "inset(0 0 0 " + v + "%)";
  $("divider").style.left = v + "%";
}

async function init() {
  $("file").addEventListener("change", () => { if ($("file").files[0]) loadPhoto($("file").files[0]); });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault(); drop.classList.remove("over");
    if (e.dataTransfer.files[0]) loadPhoto(e.dataTransfer.files[0]);
  });
  $("engine").addEventListener("change", () => { showEngineOptions(); runEngine(); });
  $("run").addEventListener("click", runEngine);
  $("ev").addEventListener("input", () => { $("evOut").textContent = (Number($("ev").value) >= 0 ? "+" : "") + Number($("ev").value).toFixed(1); });
  $("ev").addEventListener("change", runEngine);
  $("split").addEventListener("input", () => setSplit($("split").value));
  $("reset").addEventListener("click", () => { state.recipe = { version: 1, steps: [] }; syncSliders(); renderRecipe(); });
  $("dlImage").addEventListener("click", downloadImage);
  $("dlRecipe").addEventListener("click", () => downloadExtra("recipe"));
  $("dlXMP").addEventListener("click", () => downloadExtra("xmp"));
  $("dlCube").addEventListener("click", () => downloadExtra("cube"));
  showEngineOptions();
  setSplit(50);
  try {
    state.filters = await (await fetch("/v1/filters")).json();
    buildSliders();
    document.body.dataset.ready = "1";
  } catch (e) {
    setStatus("cannot load the filter list: " + e.message, true);
  }
}

init();
