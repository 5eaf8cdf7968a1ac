// The units' page: files dropped on the box or picked are sent at once, and the result replaces
// the page. Plain JavaScript, no build step.
(function () {
  var form = document.getElementById("upload");
  if (!form) return;
  var box = document.getElementById("drop");
  var input = document.getElementById("files");
  function send(files) {
    var data = new FormData();
    for (var i = 0; i < files.length; i++) data.append("file", files[i], files[i].name);
    box.textContent = "正在检查……";
    fetch(form.action, { method: "POST", body: data })
      .then(function (r) { return r.text(); })
      .then(function (html) { document.open(); document.write(html); document.close(); })
      .catch(function () { box.textContent = "上传失败，请重试"; });
  }
  box.addEventListener("dragover", function (e) { e.preventDefault(); box.className = "drop over"; });
  box.addEventListener("dragleave", function () { box.className = "drop"; });
  box.addEventListener("drop", function (e) { e.preventDefault(); box.className = "drop"; send(e.dataTransfer.files); });
  input.addEventListener("change", function () { if (input.files.length) send(input.files); });
})();
