// Keyboard shortcuts of the queue: j/k move, Enter opens, n takes the next case, / goes to
// the filters, ? shows the help. Rows are looked up on every key press, so the shortcuts keep
// working after htmx swaps the results in.
(function () {
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#results tr.queue-row"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("selected", i === current);
      row.setAttribute("aria-selected", i === current ? "true" : "false");
    });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    return target.closest("input, select, textarea, [contenteditable], dialog[open]");
  }

  function help() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("htmx:afterSwap", function () { current = -1; });
  document.addEventListener("click", function (event) {
    if (event.target.closest("#shortcuts-open")) help();
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var all = rows();
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(current - 1);
    else if (event.key === "Enter" && current >= 0 && all[current]) {
      var link = all[current].querySelector("a");
      if (link) link.click();
    } else if (event.key === "n") {
      var take = document.getElementById("take-next");
      if (take) take.requestSubmit();
    } else if (event.key === "/") {
      var first = document.querySelector("#queue-filters select");
      if (first) first.focus();
    } else if (event.key === "?") help();
    else return;
    event.preventDefault();
  });
})();
