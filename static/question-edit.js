// mockexam: the live preview of a question being edited. The page works
// without it (the Preview button renders the same server-side); with it,
// the text is sent to the server as it is typed (debounced) and the
// rendered item, sanitized there, replaces the preview region.
"use strict";

(function () {
  const form = document.getElementById("question-edit");
  const region = document.getElementById("question-preview");
  if (!form || !region) return;
  const text = form.querySelector("textarea[name=text]");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  let timer = null;
  // Only the newest request's answer is shown: an older one arriving late
  // never overwrites it.
  let sent = 0;

  const refresh = async () => {
    const mine = ++sent;
    try {
      const response = await fetch(form.dataset.preview, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
        body: new URLSearchParams({ text: text.value }),
        credentials: "same-origin",
      });
      if (!response.ok || mine !== sent) return;
      const html = await response.text();
      if (mine === sent) region.innerHTML = html;
    } catch {
      // Offline or the server away: the Preview button still works.
    }
  };

  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
