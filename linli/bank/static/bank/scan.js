// Station desk: read a depositor's QR code with the camera (@zxing/browser, served locally) and submit it.
// Typing the 8-character code into the same field is the fallback when there is no camera.
(function () {
  const button = document.getElementById("bank-scan-start");
  if (!button) { return; }
  const video = document.getElementById("bank-scan-video");
  const status = document.getElementById("bank-scan-status");
  const input = document.getElementById("id_code");
  let controls = null;

  function stop() {
    if (controls) { controls.stop(); controls = null; }
    video.classList.add("d-none");
    button.textContent = "打开摄像头扫码";
  }

  button.addEventListener("click", async function () {
    if (controls) { stop(); return; }
    if (!window.ZXingBrowser || !navigator.mediaDevices) {
      status.textContent = "此浏览器不能使用摄像头，请输入储户码。";
      return;
    }
    video.classList.remove("d-none");
    button.textContent = "关闭摄像头";
    status.textContent = "请将储户二维码对准摄像头…";
    try {
      const reader = new window.ZXingBrowser.BrowserQRCodeReader();
      controls = await reader.decodeFromVideoDevice(undefined, video, function (result) {
        if (result) {
          input.value = result.getText();
          status.textContent = "已识别，正在查找储户…";
          stop();
          input.form.submit();
        }
      });
    } catch (error) {
      stop();
      status.textContent = "无法打开摄像头（需要授权，且须通过 HTTPS 或本机访问），请输入储户码。";
    }
  });
})();
