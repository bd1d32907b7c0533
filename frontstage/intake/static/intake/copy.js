(function () {
  var button = document.getElementById("copy-receipt");
  var code = document.getElementById("receipt-code");
  if (!button || !code || !navigator.clipboard) return;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(code.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied;
    });
  });
})();
