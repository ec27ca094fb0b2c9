// Article view: shows the details of the findings under a clicked passage and hides technique
// families on request. Everything from the analysis is written with textContent, never as HTML.
(function () {
  "use strict";
  var dataElement = document.getElementById("findings-data");
  var body = document.getElementById("details-body");
  var article = document.getElementById("article");
  if (!dataElement || !body || !article) { return; }
  var findings = JSON.parse(dataElement.textContent);

  function add(parent, tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) { element.className = className; }
    parent.appendChild(element);
    return element;
  }

  function show(ids) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    ids.forEach(function (id) {
      var finding = findings[id];
      if (!finding) { return; }
      var box = document.createElement("div");
      box.className = "finding " + finding.css;
      box.setAttribute("data-fid", id);
      add(box, "h3", finding.name);
      add(box, "p", finding.reason, "reason");
      add(box, "blockquote", finding.text);
      var facts = document.createElement("dl");
      finding.facts.forEach(function (pair) {
        add(facts, "dt", pair[0]);
        add(facts, "dd", pair[1]);
      });
      box.appendChild(facts);
      body.appendChild(box);
    });
  }

  function pick(event) {
    var target = event.target.closest ? event.target.closest("[data-fids]") : null;
    if (target) { show(target.getAttribute("data-fids").split(" ")); }
  }

  article.addEventListener("click", pick);
  article.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(event); }
  });

  document.querySelectorAll("a.finding-link[data-fid]").forEach(function (link) {
    link.addEventListener("click", function () { show([link.getAttribute("data-fid")]); });
  });

  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
    });
  });
})();
