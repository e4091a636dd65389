// The counter kiosk: ratings go into an IndexedDB queue first and are sent from there, so a
// rating given while the network is down is kept and sent when it returns. Each rating carries a
// client-generated id: a batch sent twice (answer lost) is stored once by the server.
"use strict";

const DB_NAME = "parindex-kiosk";
const QUEUE = "queue";
const REJECTED = "rejected";
const FEEDBACK = "feedback";
const BATCH = 100;

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion < 1) {
        db.createObjectStore(QUEUE, { keyPath: "client_id" });
        db.createObjectStore(REJECTED, { keyPath: "client_id" });
      }
      if (event.oldVersion < 2) db.createObjectStore(FEEDBACK, { keyPath: "client_id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function tx(db, store, mode, work) {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const result = work(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    transaction.onerror = () => reject(transaction.error);
  });
}

function uuid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const body = document.body;
const screens = ["start", "questions", "feedback", "thanks"].map((id) => document.getElementById(id));
let answers = {};
let dossierCode = "";
let idleTimer = null;
let syncing = false;

function show(id) {
  for (const screen of screens) screen.hidden = screen.id !== id;
  clearTimeout(idleTimer);
  if (id === "questions" || id === "feedback") armIdle();
  if (id === "thanks") idleTimer = setTimeout(reset, 5000);
}

function armIdle() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(reset, Number(body.dataset.idleSeconds) * 1000);
}

function reset() {
  answers = {};
  dossierCode = "";
  document.getElementById("dossier-code").value = "";
  for (const button of document.querySelectorAll("fieldset button")) button.setAttribute("aria-pressed", "false");
  document.getElementById("need-satisfaction").hidden = true;
  document.getElementById("feedback-content").value = "";
  document.getElementById("feedback-contact").value = "";
  document.getElementById("need-content").hidden = true;
  show("start");
}

async function queued(db) {
  const ratings = await tx(db, QUEUE, "readonly", (store) => store.count());
  const feedback = await tx(db, FEEDBACK, "readonly", (store) => store.count());
  const count = ratings + feedback;
  document.getElementById("queued").textContent = String(count);
  return count;
}

async function sync(db) {
  if (syncing) return;
  syncing = true;
  try {
    for (;;) {
      const items = await tx(db, QUEUE, "readonly", (store) => store.getAll(null, BATCH));
      if (!items.length) break;
      const response = await fetch(body.dataset.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": body.dataset.csrf },
        body: JSON.stringify({ items }),
      });
      if (!response.ok) break;
      const answer = await response.json();
      await tx(db, QUEUE, "readwrite", (store) => {
        for (const result of answer.results) store.delete(items[result.index].client_id);
      });
      const rejected = answer.results.filter((r) => r.outcome === "rejected").map((r) => ({ ...items[r.index], errors: r.errors }));
      if (rejected.length) await tx(db, REJECTED, "readwrite", (store) => rejected.forEach((item) => store.put(item)));
    }
    const feedback = await tx(db, FEEDBACK, "readonly", (store) => store.getAll(null, BATCH));
    if (feedback.length) {
      const response = await fetch(body.dataset.feedbackUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": body.dataset.csrf },
        body: JSON.stringify({ items: feedback }),
      });
      if (response.ok) await tx(db, FEEDBACK, "readwrite", (store) => feedback.forEach((item) => store.delete(item.client_id)));
    }
  } catch (error) {
    // Offline or the server is down: the queue keeps everything for the next try.
  } finally {
    syncing = false;
    await queued(db);
  }
}

async function main() {
  const db = await openDb();
  await queued(db);
  const offline = document.getElementById("offline");
  const status = () => { offline.hidden = navigator.onLine; };
  status();

  document.getElementById("begin").addEventListener("click", () => {
    dossierCode = document.getElementById("dossier-code").value.trim();
    show("questions");
  });
  document.getElementById("begin-counter").addEventListener("click", () => { dossierCode = ""; show("questions"); });
  document.getElementById("cancel").addEventListener("click", reset);
  document.getElementById("begin-feedback").addEventListener("click", () => {
    dossierCode = document.getElementById("dossier-code").value.trim();
    show("feedback");
  });
  document.getElementById("cancel-feedback").addEventListener("click", reset);
  document.getElementById("feedback-content").addEventListener("input", armIdle);
  document.getElementById("send-feedback").addEventListener("click", async () => {
    const content = document.getElementById("feedback-content").value.trim();
    if (!content) {
      document.getElementById("need-content").hidden = false;
      return;
    }
    const item = { client_id: uuid(), content, dossier_code: dossierCode, contact: document.getElementById("feedback-contact").value.trim() };
    await tx(db, FEEDBACK, "readwrite", (store) => store.put(item));
    await queued(db);
    show("thanks");
    sync(db);
  });
  for (const fieldset of document.querySelectorAll("fieldset[data-field]")) {
    for (const button of fieldset.querySelectorAll("button")) {
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        for (const other of fieldset.querySelectorAll("button")) other.setAttribute("aria-pressed", "false");
        button.setAttribute("aria-pressed", "true");
        answers[fieldset.dataset.field] = Number(button.dataset.value);
        armIdle();
      });
    }
  }
  document.getElementById("send").addEventListener("click", async () => {
    if (!("satisfaction" in answers)) {
      document.getElementById("need-satisfaction").hidden = false;
      return;
    }
    const item = { client_id: uuid(), submitted_at: new Date().toISOString(), dossier_code: dossierCode, counter: body.dataset.counter, ...answers };
    await tx(db, QUEUE, "readwrite", (store) => store.put(item));
    await queued(db);
    show("thanks");
    sync(db);
  });

  window.addEventListener("online", () => { status(); sync(db); });
  window.addEventListener("offline", status);
  setInterval(() => sync(db), 15000);
  sync(db);

  if ("serviceWorker" in navigator) {
    try {
      await navigator.serviceWorker.register(body.dataset.workerUrl);
      const registration = await navigator.serviceWorker.ready;
      const assets = [location.pathname, ...Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (el) => el.href || el.src)];
      registration.active.postMessage({ cache: assets });
    } catch (error) {
      // Without a worker the kiosk still queues; it only cannot be reloaded offline.
    }
  }
}

main();
