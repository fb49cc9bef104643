// mockexam: progressive enhancement only. Every page works without this
// script; with it, answers save on every change, the countdown ticks, and
// the keyboard drives the exam.
"use strict";

(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // ----- confirmations (submit) -----
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });

  // ----- the sticky exam bar: what lies under it -----
  // The palette's sticky offset and the scroll padding (so that a focused
  // control is never hidden under the bar) follow the bar's real height.
  const bar = document.querySelector(".exam-bar");
  if (bar && window.ResizeObserver) {
    new ResizeObserver(() => {
      document.documentElement.style.setProperty("--exam-bar-h", bar.offsetHeight + "px");
    }).observe(bar);
  }

  // ----- countdown from the server's deadline -----
  const timer = document.getElementById("timer");
  if (timer) {
    const deadline = Number(timer.dataset.deadline);
    // The server's clock decides: measure our offset from it once.
    const offset = Number(timer.dataset.now) - Date.now();
    let expired = false;
    // The warnings a test centre gives: shown from the moment they apply,
    // announced once per attempt (a later page shows them without
    // announcing them again).
    const warning = document.getElementById("time-warning");
    const warnings = [
      [300, "Less than 5 minutes left."],
      [900, "Less than 15 minutes left."],
    ];
    const announcedKey = "mockexam-time-warning-" + deadline;
    const announced = () => {
      try {
        return Number(sessionStorage.getItem(announcedKey)) || Infinity;
      } catch {
        return Infinity;
      }
    };
    let warned = null;
    const warn = (left) => {
      const due = warnings.find(([at]) => left <= at);
      if (!warning || !due || due[0] === warned) return;
      warned = due[0];
      const fresh = due[0] < announced();
      warning.setAttribute("aria-live", fresh ? "assertive" : "off");
      // A screen reader may miss a change made while the page is still
      // loading: a fresh warning is written a moment later.
      setTimeout(() => (warning.textContent = due[1]), fresh ? 800 : 0);
      if (fresh) {
        try {
          sessionStorage.setItem(announcedKey, String(due[0]));
        } catch {
          // No storage: the warning is announced again on the next page.
        }
      }
    };
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - (Date.now() + offset)) / 1000));
      const text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (timer.textContent !== text) timer.textContent = text;
      timer.parentElement.classList.toggle("low", left <= 300);
      warn(left);
      if (left === 0 && !expired) {
        expired = true;
        // Let saves in flight land, then ask the server, which grades it.
        setTimeout(() => window.location.reload(), 1500);
      }
    };
    tick();
    setInterval(tick, 250);
  }

  // Each palette cell's name for screen readers, from what it shows: the
  // server sends only the number and the classes, to keep the page small.
  const nameCell = (cell) =>
    cell.setAttribute(
      "aria-label",
      "Question " + cell.textContent.trim() +
        (cell.classList.contains("answered") ? ", answered" : ", unanswered") +
        (cell.classList.contains("flagged") ? ", flagged" : ""),
    );
  document.querySelectorAll(".palette ol button.cell").forEach(nameCell);

  const form = document.getElementById("item-form");
  if (!form || form.dataset.autosave !== "true") return;

  const kind = form.dataset.kind;
  // Not form.action: the buttons named "action" shadow that property.
  const saveUrl = form.getAttribute("action");
  const status = document.getElementById("save-status");
  const seqField = form.querySelector('input[name="seq"]');
  const flaggedField = form.querySelector('input[name="flagged"]');
  const struckField = form.querySelector('input[name="struck"]');
  // The save statuses that end the attempt come from the server's one list.
  const endingStatuses = (form.dataset.endingStatuses || "").split(" ");
  const staleStatus = form.dataset.staleStatus;
  let pending = 0;
  let retryTimer = null;

  const say = (text, kindOfMessage) => {
    status.textContent = text;
    status.dataset.state = kindOfMessage || "";
  };

  // The response in display positions, as the server's DisplayResponse.
  const response = () => {
    if (kind === "single" || kind === "multiple") {
      return { choice: [...form.querySelectorAll('input[name="choice"]:checked')].map((i) => Number(i.value)) };
    }
    if (kind === "ordering") {
      const ranks = [];
      form.querySelectorAll('select[name^="rank-"]').forEach((s) => {
        ranks[Number(s.name.slice(5))] = s.value === "" ? null : Number(s.value) - 1;
      });
      return { ranks };
    }
    const matches = [];
    form.querySelectorAll('select[name^="match-"]').forEach((s) => {
      matches[Number(s.name.slice(6))] = s.value === "" ? null : Number(s.value);
    });
    return { matches };
  };

  const struck = () => (struckField.value ? struckField.value.split(",").map(Number) : []);

  const isAnswered = (r) =>
    (r.choice && r.choice.length > 0) ||
    (r.ranks && r.ranks.every((x) => x !== null)) ||
    (r.matches && r.matches.every((x) => x !== null));

  const paletteCell = document.querySelector('.palette .cell[aria-current="page"]');

  const save = () => {
    const seq = Number(seqField.value);
    // The next save (or a navigation post) must carry a higher number.
    seqField.value = String(seq + 1);
    const body = { seq, response: response(), flagged: flaggedField.value === "true", struck: struck() };
    // When the page was shown: the server adds the time since (or since
    // this page's previous save) to the item's time.
    const shownField = form.querySelector('input[name="shown_at"]');
    if (shownField) body.shown_at = Number(shownField.value);
    // "How sure are you?", where the attempt asks: left out until marked,
    // which keeps the stored mark.
    const confidence = form.querySelector('input[name="confidence"]:checked');
    if (confidence) body.confidence = confidence.value;
    pending++;
    say("Saving…", "saving");
    fetch(saveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    })
      .then(async (res) => {
        const reply = await res.json().catch(() => ({ status: "error", message: "The server's answer was unreadable." }));
        pending--;
        if (res.status >= 500) {
          // The server or its database had trouble (a restart, say): the
          // answer was not taken, so try again as after a lost connection.
          retryLater("Not saved yet: the server had a problem. Retrying…");
        } else if (res.ok) {
          say("Saved", "saved");
          if (paletteCell) {
            // What the cell shows and what it says, as the server writes them.
            const answered = isAnswered(body.response);
            paletteCell.classList.toggle("answered", answered);
            paletteCell.classList.toggle("flagged", body.flagged);
            nameCell(paletteCell);
          }
          const count = document.getElementById("answered-count");
          if (count && paletteCell) count.textContent = String(document.querySelectorAll(".palette ol .cell.answered").length);
        } else if (endingStatuses.includes(reply.status)) {
          say(reply.message, "error");
          setTimeout(() => window.location.assign(saveUrl.replace(/\/items\/\d+$/, "/result?notice=time-up")), 2000);
        } else if (reply.status === staleStatus) {
          seqField.value = String(Math.max(Number(seqField.value), reply.seq + 1));
          say(reply.message, "error");
        } else {
          say(reply.message || "Not saved.", "error");
        }
      })
      .catch(() => {
        pending--;
        retryLater("Not saved yet: no connection. Retrying…");
      });
  };

  // Keep the answer and try again; navigation posts the form anyway, which
  // saves too.
  const retryLater = (text) => {
    say(text, "error");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(save, 3000);
  };

  // ----- multiple: no more than N -----
  const options = form.querySelector("fieldset.options[data-max]");
  const enforceMax = () => {
    if (!options) return;
    const max = Number(options.dataset.max);
    const boxes = [...options.querySelectorAll('input[type="checkbox"]')];
    const full = boxes.filter((b) => b.checked).length >= max;
    boxes.forEach((b) => (b.disabled = full && !b.checked));
  };
  enforceMax();

  form.addEventListener("change", (e) => {
    if (e.target.matches('input[name="confidence"]')) {
      save();
    } else if (e.target.matches('input[name="choice"], select')) {
      enforceMax();
      form.querySelectorAll(".option").forEach((o) => o.classList.toggle("selected", !!o.querySelector("input:checked")));
      save();
    }
  });

  // ----- strike-through and flag without a page load -----
  form.addEventListener("click", (e) => {
    const button = e.target.closest("button[name='action']");
    if (!button) return;
    const action = button.value;
    if (action.startsWith("strike-")) {
      e.preventDefault();
      const pos = Number(action.slice(7));
      const set = new Set(struck());
      set.has(pos) ? set.delete(pos) : set.add(pos);
      struckField.value = [...set].sort((a, b) => a - b).join(",");
      button.setAttribute("aria-pressed", String(set.has(pos)));
      button.closest(".option").classList.toggle("struck", set.has(pos));
      save();
    } else if (action === "flag") {
      e.preventDefault();
      const flagged = flaggedField.value !== "true";
      flaggedField.value = String(flagged);
      button.setAttribute("aria-pressed", String(flagged));
      button.textContent = flagged ? "Flagged ⚑" : "Flag for review";
      save();
    }
  });

  // ----- ordering: move steps with buttons or by dragging -----
  const list = form.querySelector("ol[data-sortable]");
  if (list) {
    list.classList.add("enhanced");
    const renumber = () => {
      [...list.children].forEach((li, i) => {
        li.querySelector("select").value = String(i + 1);
      });
    };
    const move = (li, delta) => {
      const sibling = delta < 0 ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) return;
      delta < 0 ? list.insertBefore(li, sibling) : list.insertBefore(sibling, li);
      renumber();
      save();
    };
    // Start from the learner's saved order, if there is one.
    const items = [...list.children];
    const ranked = items.every((li) => li.querySelector("select").value !== "");
    if (ranked) {
      items.sort((a, b) => Number(a.querySelector("select").value) - Number(b.querySelector("select").value));
      items.forEach((li) => list.appendChild(li));
    }
    items.forEach((li) => {
      const text = li.querySelector(".text").textContent.trim();
      const tools = document.createElement("span");
      tools.className = "move";
      for (const [label, delta] of [["↑", -1], ["↓", 1]]) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = label;
        b.setAttribute("aria-label", (delta < 0 ? "Move up: " : "Move down: ") + text);
        b.addEventListener("click", () => {
          move(li, delta);
          b.focus();
        });
        tools.appendChild(b);
      }
      (li.querySelector(".step-controls") || li).appendChild(tools);
      li.draggable = true;
      li.addEventListener("dragstart", (e) => {
        li.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
      });
      li.addEventListener("dragend", () => {
        li.classList.remove("dragging");
        renumber();
        save();
      });
    });
    list.addEventListener("dragover", (e) => {
      e.preventDefault();
      const dragging = list.querySelector(".dragging");
      const after = [...list.children].find((li) => li !== dragging && e.clientY < li.getBoundingClientRect().top + li.offsetHeight / 2);
      after ? list.insertBefore(dragging, after) : list.appendChild(dragging);
    });
  }

  // ----- keyboard: 1–9 or A–F choose, N/P next/previous, F flag -----
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.matches("select, textarea, input[type=text], input[type=number], input[type=email], input[type=password]")) return;
    const key = e.key.toLowerCase();
    const click = (selector) => {
      const el = form.querySelector(selector);
      if (el && !el.disabled) {
        e.preventDefault();
        el.click();
      }
    };
    if (key === "n") click('button[value="next"]');
    else if (key === "p") click('button[value="prev"]');
    else if (key === "f") click('button[value="flag"]');
    else {
      const index = /^[1-9]$/.test(key) ? Number(key) - 1 : "abcdef".indexOf(key);
      if (index >= 0) {
        const inputs = form.querySelectorAll('input[name="choice"]');
        if (inputs[index] && !inputs[index].disabled) {
          e.preventDefault();
          inputs[index].click();
          inputs[index].focus();
        }
      }
    }
  });

  window.addEventListener("beforeunload", (e) => {
    if (pending > 0) e.preventDefault();
  });
})();
