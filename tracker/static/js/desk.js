/* Desk forms: archive a link as soon as it is pasted, fill in what the page says, and
   suggest outlets while typing. Everything here is an enhancement: the forms work without
   JavaScript through their "Fetch link details" buttons. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function looksLikeUrl(value) {
    return /^https?:\/\/[^\s]+\.[^\s]+/i.test(value) || /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])/i.test(value);
  }

  function capture(form, url) {
    var body = new FormData();
    body.append("url", url);
    body.append("csrf_token", csrfToken(form));
    return fetch(form.dataset.captureUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json(); });
  }

  function setIfEmpty(input, value) {
    if (input && !input.value && value) { input.value = value; input.dispatchEvent(new Event("change")); }
  }

  function setSelectIfEmpty(select, value) {
    if (!select || select.value || !value) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; return; }
    }
  }

  /* The claim form: one row per appearance. */
  function wireAppearanceRow(form, row) {
    var url = row.querySelector('input[name$="-url"]');
    var status = row.querySelector(".capture-status");
    var snapshot = row.querySelector('input[name$="-snapshot_id"]');
    if (!url) return;
    var last = "";
    function run() {
      var value = url.value.trim();
      if (!looksLikeUrl(value) || value === last) return;
      last = value;
      snapshot.value = "";
      status.textContent = "Fetching and archiving the page…";
      capture(form, value).then(function (data) {
        if (data.snapshot_id) snapshot.value = data.snapshot_id;
        if (!data.ok) {
          status.textContent = "Not archived: " + (data.error ? data.error.message : data.message) +
            " You can still save; it can be fetched again later.";
          return;
        }
        setIfEmpty(row.querySelector('input[name$="-appeared_on"]'), data.published);
        if (data.outlet) setIfEmpty(row.querySelector('input[name$="-outlet"]'), data.outlet.name);
        setSelectIfEmpty(form.querySelector('select[name="language"]'), data.language);
        var text = form.querySelector('textarea[name="text"]');
        status.textContent = "Archived: " + (data.title || value) +
          (data.outlet ? " — outlet " + data.outlet.name : (data.domain ? " — new outlet? " + data.domain : ""));
        if (text && !text.value && data.claim_reviews && data.claim_reviews.length) {
          text.value = data.claim_reviews[0].claim_reviewed || "";
        }
      }).catch(function () {
        status.textContent = "Could not reach the server to archive this link; use “Fetch link details”.";
      });
    }
    url.addEventListener("change", run);
    url.addEventListener("paste", function () { window.setTimeout(run, 0); });
  }

  function wireOutletLookup(form) {
    var list = document.getElementById("outlet-options");
    if (!list || !form.dataset.lookupUrl) return;
    form.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.name || !/-outlet$/.test(input.name) || input.value.length < 2) return;
      fetch(form.dataset.lookupUrl + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          list.textContent = "";
          data.outlets.forEach(function (outlet) {
            var option = document.createElement("option");
            option.value = outlet.name;
            option.label = outlet.handles.join(", ");
            list.appendChild(option);
          });
        });
    });
  }

  /* The article form: fetch on paste, fill blanks, show any ClaimReview found. */
  function wireArticleForm(form) {
    var url = form.querySelector('input[name="url"]');
    if (!url) return;
    var last = "";
    function run() {
      var value = url.value.trim();
      if (!looksLikeUrl(value) || value === last) return;
      last = value;
      capture(form, value).then(function (data) {
        var snapshot = form.querySelector('input[name="snapshot_id"]');
        if (snapshot && data.snapshot_id) snapshot.value = data.snapshot_id;
        if (!data.ok) return;
        setIfEmpty(form.querySelector('input[name="title"]'), data.title);
        setIfEmpty(form.querySelector('input[name="publisher"]'), data.site_name);
        setIfEmpty(form.querySelector('input[name="author"]'), data.byline);
        setIfEmpty(form.querySelector('input[name="published_on"]'), data.published);
        setIfEmpty(form.querySelector('textarea[name="text"]'), data.text);
        setSelectIfEmpty(form.querySelector('select[name="language"]'), data.language);
        if (data.claim_reviews && data.claim_reviews.length) {
          var review = data.claim_reviews[0];
          setIfEmpty(form.querySelector('textarea[name="claim_statement"]'), review.claim_reviewed);
          setIfEmpty(form.querySelector('input[name="rating_text"]'), review.rating_text);
          setSelectIfEmpty(form.querySelector('select[name="rating"]'), review.rating);
        }
      });
    }
    url.addEventListener("change", run);
    url.addEventListener("paste", function () { window.setTimeout(run, 0); });
  }

  /* Suggestions while typing: debunks, similar claims and figure checks for the claim text.
     Results are built with DOM methods (textContent), never as HTML. */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function suggestionSection(title, items, describe) {
    var section = element("section", "xref-section");
    section.appendChild(element("h3", null, title));
    var list = element("ul", "plain");
    items.forEach(function (item) {
      var entry = element("li");
      var parts = describe(item);
      var link = element("a", null, parts.label);
      link.href = item.desk_url;
      entry.appendChild(link);
      if (parts.detail) entry.appendChild(element("p", "reason", parts.detail));
      entry.appendChild(element("p", "muted", parts.reason));
      list.appendChild(entry);
    });
    section.appendChild(list);
    return section;
  }

  function wireSuggestions(form) {
    var panel = form.parentNode.querySelector(".xref-panel");
    var text = form.querySelector('textarea[name="text"]');
    var language = form.querySelector('select[name="language"]');
    if (!panel || !text || !form.dataset.suggestUrl) return;
    var status = panel.querySelector(".xref-status");
    var results = panel.querySelector(".xref-results");
    var jump = form.querySelector(".xref-jump");
    var timer = null;
    var asked = "";
    function ask() {
      var value = text.value.trim();
      var key = value + "|" + (language ? language.value : "");
      if (value.length < 12 || key === asked) return;
      asked = key;
      var body = new FormData();
      body.append("text", value);
      body.append("language", language ? language.value : "");
      body.append("claim_id", form.dataset.claimId || "");
      body.append("csrf_token", csrfToken(form));
      panel.hidden = false;
      status.textContent = "Looking for debunks, similar claims and figures…";
      fetch(form.dataset.suggestUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          results.textContent = "";
          var found = data.debunks.length + data.claims.length + data.figure_checks.length;
          status.textContent = found ? "" : "Nothing similar is recorded yet.";
          if (jump) {
            jump.hidden = !found;
            jump.firstChild.textContent = found + (found === 1 ? " suggestion" : " suggestions") +
              ": see “Already known?” below the form";
          }
          (data.notices || []).forEach(function (notice) {
            results.appendChild(element("p", "muted", notice));
          });
          if (data.figure_checks.length) {
            results.appendChild(suggestionSection("Figure checks", data.figure_checks, function (f) {
              return { label: f.figure + " — " + f.subject, detail: f.reason,
                       reason: f.relation.replace("_", " ") };
            }));
          }
          if (data.debunks.length) {
            results.appendChild(suggestionSection("Debunk articles", data.debunks, function (d) {
              return { label: d.title, reason: d.reason };
            }));
          }
          if (data.claims.length) {
            results.appendChild(suggestionSection("Similar claims", data.claims, function (c) {
              return { label: c.text, reason: c.reason };
            }));
          }
        })
        .catch(function () { status.textContent = "Suggestions are not available right now."; });
    }
    text.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 700);
    });
    if (language) language.addEventListener("change", ask);
    if (text.value.trim()) ask();
  }

  /* A step that cannot be undone asks first: its button says what will happen in
     data-confirm. (Without JavaScript the step is taken at once, as before.) */
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.dataset ? button.dataset.confirm : "";
    if (message && !window.confirm(message)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.claim-form").forEach(function (form) {
      form.querySelectorAll(".appearance-row").forEach(function (row) { wireAppearanceRow(form, row); });
      wireOutletLookup(form);
      wireSuggestions(form);
    });
    document.querySelectorAll("form.article-form").forEach(wireArticleForm);
  });
})();
