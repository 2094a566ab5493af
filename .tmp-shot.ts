import { chromium } from 'playwright-core';
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
  await p.goto('http://127.0.0.1:18080/');
  await p.locator('.monaco-workbench').waitFor({ timeout: 120000 });
  await p.waitForTimeout(8000);
  await p.locator('.part.activitybar').getByRole('tab', { name: /^Gateway Clusters/ }).click();
  await p.waitForTimeout(3000);
  await p.screenshot({ path: '/tmp/demo.png' });
  console.log(p.url());
  await b.close();
})();
