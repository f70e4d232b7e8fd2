// essay-kg pictures: show what an edge or a node stands for, with its evidence, when the pointer rests on it.
(function () {
  "use strict";
  var details = JSON.parse(document.getElementById("details").textContent);
  var aside = document.getElementById("detail");
  var svg = document.querySelector("#figure svg");
  if (!svg) { return; }
  var items = svg.querySelectorAll("g.node, g.edge");

  function show(id) {
    var data = details[id];
    if (!data) { return; }
    while (aside.firstChild) { aside.removeChild(aside.firstChild); }
    var list = document.createElement("dl");
    Object.keys(data).forEach(function (key) {
      if (key === "quote" || key === "ends") { return; }
      var term = document.createElement("dt");
      term.textContent = key;
      var value = document.createElement("dd");
      value.textContent = data[key];
      list.appendChild(term);
      list.appendChild(value);
    });
    aside.appendChild(list);
    if (data.quote) {
      var quote = document.createElement("blockquote");
      quote.textContent = data.quote;
      aside.appendChild(quote);
    }
    aside.hidden = false;
  }

  function neighbours(id) {
    var keep = {};
    keep[id] = true;
    var data = details[id] || {};
    (data.ends || "").split(" ").forEach(function (end) { if (end) { keep[end] = true; } });
    Object.keys(details).forEach(function (other) {
      var ends = (details[other].ends || "").split(" ");
      if (ends.indexOf(id) >= 0) { keep[other] = true; }
    });
    return keep;
  }

  items.forEach(function (item) {
    item.addEventListener("mouseenter", function () {
      show(item.id);
      var keep = neighbours(item.id);
      items.forEach(function (other) {
        other.classList.toggle("dim", !keep[other.id]);
        other.classList.toggle("active", other.id === item.id);
      });
    });
    item.addEventListener("mouseleave", function () {
      items.forEach(function (other) { other.classList.remove("dim", "active"); });
    });
  });
}());
