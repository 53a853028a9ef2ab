// Saving a draft without leaving the page. A "Save draft" button ([data-save-draft]) of a form marked
// [data-save-in-place] posts the form with fetch, asking for JSON (applications/submission_views.py `edit`), then
// says "Draft saved at 2:05 p.m." beside the button and updates the sections' badges: the person keeps their place
// and the server does not build the whole page again. Whatever cannot be shown in place (answers to correct, a
// submission no longer editable, rows added or removed, a file chosen, no answer) is left to the form's own
// submission, which shows the page as it is without this script, with everything typed kept.
"use strict";
(function () {
  function hasFile(form) {
    return Array.from(form.querySelectorAll("input[type=file]")).some(function (input) {
      return input.files && input.files.length > 0;
    });
  }

  // The status line beside a button (role="status"), in which the button's saving is told.
  function say(button, text) {
    const status = button.parentElement.querySelector("[data-save-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function showSaved(form, button, answer) {
    form.querySelectorAll("[data-save-status]").forEach(function (status) {
      status.textContent = "";
    });
    say(button, answer.message);
    Object.entries(answer.sections || {}).forEach(function ([key, complete]) {
      document.querySelectorAll('[data-section-badge="' + key + '"]').forEach(function (badge) {
        badge.classList.toggle("text-bg-success", complete);
        badge.classList.toggle("text-bg-warning", !complete);
        badge.textContent = complete ? answer.labels.complete : answer.labels.to_do;
      });
    });
    const progress = document.querySelector("[data-save-progress]");
    if (progress && answer.progress) {
      progress.textContent = answer.progress;
    }
  }

  document.querySelectorAll("form[data-save-in-place]").forEach(function (form) {
    let usual = false; // set once the form is submitted the usual way, so that submission is not caught again

    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      if (usual || !button || !button.matches("[data-save-draft]") || hasFile(form)) {
        return;
      }
      // A page showing answers to correct is saved the usual way: the next page shows them gone, or still there.
      if (form.querySelector(".is-invalid")) {
        return;
      }
      event.preventDefault();
      say(button, form.dataset.saving || "");
      form.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form, button),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        })
        .then(function (answer) {
          form.removeAttribute("aria-busy");
          if (!answer || !answer.saved) {
            usual = true;
            form.requestSubmit(button);
          } else if (answer.reload) {
            // The same page with the confirmation's place as its fragment: going there alone would only scroll.
            window.history.replaceState(null, "", answer.reload);
            window.location.reload();
          } else {
            showSaved(form, button, answer);
          }
        });
    });
  });
})();
