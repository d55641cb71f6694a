// The site audit kit's page. Everything it shows comes from the JSON block "kit-data" and is
// put on the page with textContent only, so markup in a question or a note is shown, never run.
// Progress is kept in IndexedDB under the kit's id; "Save results" downloads a file that the
// app imports, carrying the SHA-256 of its content.
(function () {
  "use strict";

  var kit = JSON.parse(document.getElementById("kit-data").textContent);
  var RESULTS_FORMAT = "qms-desktop-audit-results";
  var DB_NAME = "qms-desktop-audit-kits";
  var STORE = "progress";
  var MAX_EDGE = 2048; // pixels: plenty for evidence, and keeps photos well under the limit
  var labels = {};
  kit.outcomes.forEach(function (pair) { labels[pair[0]] = pair[1]; });

  var state = { answered_by: kit.audit.auditor || "", answers: {} };
  kit.questions.forEach(function (q) {
    state.answers[q.id] = { outcome: q.outcome || "", notes: q.notes || "", answered_at: null,
                            photos: [] };
  });
  var views = {};
  var database = null;
  var keptCount = 0;

  function el(name, text, className) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function byId(id) { return document.getElementById(id); }

  // --- The audit ---------------------------------------------------------------------------

  function showAudit() {
    var audit = kit.audit;
    byId("audit-title").textContent = audit.title;
    var facts = byId("audit-facts");
    [["Reference", audit.reference], ["Date", audit.date], ["Process", audit.process],
     ["Auditee", audit.auditee], ["Auditor", audit.auditor], ["Clause", audit.clause],
     ["Scope", audit.scope], ["Criteria", audit.criteria]].forEach(function (pair) {
      if (!pair[1]) { return; }
      facts.appendChild(el("dt", pair[0]));
      facts.appendChild(el("dd", pair[1]));
    });
    var earlier = kit.earlier_findings || [];
    byId("earlier-count").textContent = String(earlier.length);
    if (!earlier.length) { byId("earlier").hidden = true; }
    var list = byId("earlier-list");
    earlier.forEach(function (f) {
      var item = el("li");
      item.appendChild(el("span", [f.date, f.audit, f.clause].filter(Boolean).join(" · "), "meta"));
      item.appendChild(el("strong", f.outcome + ": "));
      item.appendChild(document.createTextNode(f.notes || f.question));
      if (f.nonconformity) { item.appendChild(el("span", "Raised " + f.nonconformity, "meta")); }
      list.appendChild(item);
    });
    var who = byId("answered-by");
    who.addEventListener("input", function () {
      state.answered_by = who.value;
      keepSoon();
    });
  }

  // --- The questions -----------------------------------------------------------------------

  function buildQuestions() {
    var template = byId("question-template");
    var list = byId("questions");
    kit.questions.forEach(function (q, index) {
      var node = template.content.firstElementChild.cloneNode(true);
      var prefix = "q" + (index + 1);
      node.id = prefix;
      node.querySelector(".number").textContent = "Q" + q.position;
      node.querySelector(".clause").textContent = q.clause ? "· " + q.clause : "";
      node.querySelector(".question-text").textContent = q.question;
      node.querySelector(".guidance").textContent = q.guidance || "";
      var choices = node.querySelector(".choices");
      kit.outcomes.forEach(function (pair) {
        var label = el("label", null, "choice");
        var input = document.createElement("input");
        input.type = "radio";
        input.name = prefix + "-outcome";
        input.value = pair[0];
        input.id = prefix + "-" + pair[0];
        label.htmlFor = input.id;
        label.appendChild(input);
        label.appendChild(el("span", pair[1]));
        choices.appendChild(label);
        input.addEventListener("change", function () {
          if (!input.checked) { return; }
          changeAnswer(q.id, { outcome: pair[0] });
        });
      });
      var notes = node.querySelector(".notes");
      notes.id = prefix + "-notes";
      notes.maxLength = 100000;
      node.querySelector(".notes-label").htmlFor = notes.id;
      notes.addEventListener("input", function () { changeAnswer(q.id, { notes: notes.value }); });
      var camera = node.querySelector(".photo-input");
      var file = node.querySelector(".file-input");
      camera.id = prefix + "-camera";
      file.id = prefix + "-file";
      [camera, file].forEach(function (input) {
        input.addEventListener("change", function () {
          var chosen = Array.prototype.slice.call(input.files || []);
          input.value = "";
          addPhotos(q.id, chosen);
        });
      });
      views[q.id] = { node: node, notes: notes, number: "Q" + q.position,
                      needsNotes: node.querySelector(".needs-notes"),
                      thumbnails: node.querySelector(".thumbnails"),
                      photoProblem: node.querySelector(".photo-problem") };
      list.appendChild(node);
    });
  }

  function showAnswers() {
    byId("answered-by").value = state.answered_by;
    kit.questions.forEach(function (q) { showAnswer(q.id); });
    showProgress();
  }

  function showAnswer(id) {
    var answer = state.answers[id];
    var view = views[id];
    view.node.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.checked = input.value === answer.outcome;
    });
    if (view.notes.value !== answer.notes) { view.notes.value = answer.notes; }
    showNeedsNotes(id);
    showPhotos(id);
  }

  function needsNotes(answer) {
    return kit.needs_notes.indexOf(answer.outcome) >= 0 && !answer.notes.trim();
  }

  function showNeedsNotes(id) {
    views[id].needsNotes.hidden = !needsNotes(state.answers[id]);
  }

  function changeAnswer(id, change) {
    var answer = state.answers[id];
    Object.keys(change).forEach(function (key) { answer[key] = change[key]; });
    answer.answered_at = new Date().toISOString();
    showNeedsNotes(id);
    showProgress();
    keepSoon();
  }

  function showProgress() {
    var answered = kit.questions.filter(function (q) { return state.answers[q.id].outcome; });
    byId("progress").textContent = answered.length + " of " + kit.questions.length + " answered";
  }

  // --- Photos: scaled down in the browser to the app's attachment limit --------------------

  function loadImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { resolve({ image: image, url: url }); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("unreadable")); };
      image.src = url;
    });
  }

  function canvasBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }

  function blobBase64(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result).split(",", 2)[1]); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }

  async function scaledPhoto(file) {
    var loaded = await loadImage(file);
    try {
      var image = loaded.image;
      var edge = Math.min(MAX_EDGE, Math.max(image.naturalWidth, image.naturalHeight));
      var quality = 0.85;
      for (var attempt = 0; attempt < 12; attempt += 1) {
        var scale = edge / Math.max(image.naturalWidth, image.naturalHeight);
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff"; // a transparent PNG would turn black in a JPEG
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        var blob = await canvasBlob(canvas, quality);
        if (blob && blob.size <= kit.limits.photo_bytes) {
          return { name: (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg",
                   type: "image/jpeg", data: await blobBase64(blob) };
        }
        if (quality > 0.55) { quality -= 0.15; } else { edge = Math.round(edge * 0.75); }
      }
      throw new Error("too large");
    } finally {
      URL.revokeObjectURL(loaded.url);
    }
  }

  async function addPhotos(id, files) {
    var view = views[id];
    var answer = state.answers[id];
    view.photoProblem.hidden = true;
    for (var i = 0; i < files.length; i += 1) {
      if (answer.photos.length >= kit.limits.photos_per_question) {
        showPhotoProblem(id, "A question can have at most " + kit.limits.photos_per_question +
                         " photos.");
        break;
      }
      try {
        var photo = await scaledPhoto(files[i]);
        photo.id = String(Date.now()) + "-" + Math.random().toString(16).slice(2);
        answer.photos.push(photo);
      } catch (error) {
        showPhotoProblem(id, (files[i].name || "The file") + " is not a photo this page can read.");
      }
    }
    showPhotos(id);
    keepSoon();
  }

  function showPhotoProblem(id, text) {
    var problem = views[id].photoProblem;
    problem.textContent = text;
    problem.hidden = false;
  }

  function showPhotos(id) {
    var list = views[id].thumbnails;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    state.answers[id].photos.forEach(function (photo, index) {
      var item = el("li");
      var image = document.createElement("img");
      image.alt = "Photo " + (index + 1) + " for " + views[id].number;
      image.src = "data:" + photo.type + ";base64," + photo.data;
      var remove = el("button", "Remove");
      remove.type = "button";
      remove.setAttribute("aria-label", "Remove photo " + (index + 1));
      remove.addEventListener("click", function () {
        state.answers[id].photos = state.answers[id].photos.filter(function (p) {
          return p.id !== photo.id;
        });
        showPhotos(id);
        keepSoon();
      });
      item.appendChild(image);
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  // --- Keeping progress on this device -----------------------------------------------------

  function openDatabase() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function readKept() {
    return new Promise(function (resolve, reject) {
      var request = database.transaction(STORE, "readonly").objectStore(STORE).get(kit.kit_id);
      request.onsuccess = function () { resolve(request.result || null); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function writeKept() {
    return new Promise(function (resolve, reject) {
      var transaction = database.transaction(STORE, "readwrite");
      transaction.objectStore(STORE).put(JSON.parse(JSON.stringify(state)), kit.kit_id);
      transaction.oncomplete = function () { resolve(); };
      transaction.onerror = function () { reject(transaction.error); };
      transaction.onabort = function () { reject(transaction.error); };
    });
  }

  // data-pending on the body says a change is not on the device yet (the tests wait on it).
  var keepTimer = null;
  var writing = 0;
  function showPending() {
    document.body.setAttribute("data-pending", keepTimer || writing ? "1" : "0");
  }

  function keepSoon() {
    if (keepTimer) { clearTimeout(keepTimer); }
    keepTimer = setTimeout(keep, 250);
    showPending();
  }

  async function keep() {
    if (keepTimer) { clearTimeout(keepTimer); }
    keepTimer = null;
    if (!database) { showPending(); return; }
    writing += 1;
    try {
      await writeKept();
      keptCount += 1;
      document.body.setAttribute("data-kept", String(keptCount));
      byId("kept-state").textContent = "Kept on this device at " +
        new Date().toLocaleTimeString();
    } catch (error) {
      byId("kept-state").textContent = "Could not keep the progress on this device (" +
        (error && error.name ? error.name : "storage full") + "). Save the results now.";
    } finally {
      writing -= 1;
      showPending();
    }
  }

  function adopt(kept) {
    if (!kept || typeof kept !== "object" || !kept.answers) { return; }
    if (typeof kept.answered_by === "string") { state.answered_by = kept.answered_by; }
    kit.questions.forEach(function (q) {
      var saved = kept.answers[q.id];
      if (!saved) { return; }
      state.answers[q.id] = {
        outcome: labels[saved.outcome] ? saved.outcome : "",
        notes: typeof saved.notes === "string" ? saved.notes : "",
        answered_at: saved.answered_at || null,
        photos: Array.isArray(saved.photos) ? saved.photos : []
      };
    });
  }

  // --- Saving the results --------------------------------------------------------------------

  async function sha256Hex(text) {
    var bytes = new TextEncoder().encode(text);
    if (window.crypto && window.crypto.subtle) {
      var digest = await window.crypto.subtle.digest("SHA-256", bytes);
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    }
    return sha256Fallback(bytes);
  }

  // For a browser without Web Crypto on file:// pages.
  function sha256Fallback(bytes) {
    var k = [], h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
             0x1f83d9ab, 0x5be0cd19];
    var n = 2, found = 0;
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d += 1) { if (n % d === 0) { prime = false; break; } }
      if (prime) { k[found] = (Math.pow(n, 1 / 3) % 1) * 4294967296 | 0; found += 1; }
      n += 1;
    }
    var length = bytes.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length << 3) >>> 0);
    var w = new Array(64);
    function rotr(x, r) { return (x >>> r) | (x << (32 - r)); }
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var i = 0; i < 16; i += 1) { w[i] = view.getUint32(offset + i * 4); }
      for (i = 16; i < 64; i += 1) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], e = h[4], f = h[5], g = h[6], hh = h[7], dd = h[3];
      for (i = 0; i < 64; i += 1) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] +
                  w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (dd + t1) | 0; dd = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0;
      h[3] = (h[3] + dd) | 0; h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0;
      h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
    }
    return h.map(function (x) { return ("0000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }

  function resultsContent() {
    return {
      format: RESULTS_FORMAT,
      version: kit.version,
      kit_id: kit.kit_id,
      audit_id: kit.audit_id,
      saved_at: new Date().toISOString(),
      answered_by: state.answered_by.trim(),
      answers: kit.questions.map(function (q) {
        var answer = state.answers[q.id];
        return {
          question_id: q.id,
          outcome: answer.outcome,
          notes: answer.notes,
          answered_at: answer.answered_at,
          photos: answer.photos.map(function (p) {
            return { name: p.name, type: p.type, data: p.data };
          })
        };
      })
    };
  }

  async function saveResults() {
    var button = byId("save-results");
    var status = byId("save-state");
    status.className = "save-state warn"; // until the file is saved
    var waiting = kit.questions.filter(function (q) { return needsNotes(state.answers[q.id]); });
    if (waiting.length) {
      var first = views[waiting[0].id];
      status.textContent = "Write what was seen for " +
        waiting.map(function (q) { return views[q.id].number; }).join(", ") +
        " before saving the results.";
      first.notes.focus();
      return;
    }
    button.disabled = true;
    try {
      var content = JSON.stringify(resultsContent());
      var text = JSON.stringify({ format: RESULTS_FORMAT, version: kit.version,
                                  kit_id: kit.kit_id, audit_id: kit.audit_id,
                                  sha256: await sha256Hex(content), content: content });
      var blob = new Blob([text], { type: "application/json" });
      if (blob.size > kit.limits.results_bytes) {
        status.textContent = "The results are too large to save in one file; remove some photos.";
        return;
      }
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = kit.results_file_name;
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
      // The app imports an answer only with its outcome: notes alone would be left out.
      var notesOnly = kit.questions.filter(function (q) {
        var answer = state.answers[q.id];
        return !answer.outcome && answer.notes.trim();
      }).map(function (q) { return views[q.id].number; });
      status.className = notesOnly.length ? "save-state warn" : "save-state";
      status.textContent = "Saved the results as " + kit.results_file_name + " at " +
        new Date().toLocaleTimeString() + ". Take the file to the app's Import results." +
        (notesOnly.length ? " " + notesOnly.join(", ") + (notesOnly.length === 1 ? " has" :
          " have") + " notes but no outcome: choose one and save again, or those notes " +
          "are not imported." : "");
    } finally {
      button.disabled = false;
    }
  }

  // --- Start ----------------------------------------------------------------------------------

  async function start() {
    showAudit();
    buildQuestions();
    try {
      database = await openDatabase();
      adopt(await readKept());
    } catch (error) {
      database = null;
      var note = byId("storage-note");
      note.textContent = "This browser cannot keep the progress of this page. Save the " +
        "results often so nothing is lost.";
      note.hidden = false;
    }
    showAnswers();
    byId("save-results").addEventListener("click", saveResults);
    window.addEventListener("pagehide", function () { if (keepTimer) { keep(); } });
    document.body.setAttribute("data-ready", "1");
  }

  window.qmsAuditKit = { sha256Fallback: sha256Fallback };
  start();
})();
