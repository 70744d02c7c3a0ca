import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describeEachDb } from '../harness/db-matrix.js';
import { clickAndLoad, isStyled, screenshot, signInThroughForm, withPage } from '../harness/browser.js';
import { ADMIN, EMPLOYEE, useBrowser, usePortal } from './portal.js';

const ROOT = { userId: null, groupIds: [], isAdmin: true };
/** A 64×48 PNG with a warm gradient, built here so its checksums are right. */
const PNG = gradientPng(64, 48);

function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([240, 120 + Math.round((x / width) * 100), 40 + Math.round((y / height) * 80)], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Every property type the form must handle; list and file ones are multiple. */
const PROPERTIES = [
  { code: 'SUBTITLE', name: 'Subtitle', type: 'string', required: true },
  { code: 'PRICE', name: 'Price', type: 'number', filterable: true },
  { code: 'COLOR', name: 'Colour', type: 'list', multiple: true, filterable: true, enums: ['Red', 'Green', 'Blue'] },
  { code: 'MANUAL', name: 'Manual', type: 'file', multiple: true, filterable: true },
  { code: 'BRAND', name: 'Brand', type: 'element', link: 'Brands' },
  { code: 'SHELF', name: 'Shelf', type: 'section', link: 'Catalogue' },
  { code: 'RELEASED', name: 'Released', type: 'date', filterable: true },
  { code: 'CHECKED_AT', name: 'Checked at', type: 'datetime', filterable: true },
  { code: 'NOTES', name: 'Notes', type: 'html' },
  { code: 'OWNER', name: 'Owner', type: 'user', filterable: true },
  { code: 'KEYWORDS', name: 'Keywords', type: 'string', multiple: true, filterable: true },
] as const;

const submitButton = (page: Page, name: string) => page.locator('.admin-main form [type="submit"]', { hasText: name }).first();

/** A full-page screenshot from the top (the admin menu is sticky). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await screenshot(page, name);
}

/** The value of the option of `select` whose text contains `text` (tree options are indented). */
async function optionValue(page: Page, select: string, text: string): Promise<string> {
  const value = await page.locator(`${select} option`, { hasText: text }).first().getAttribute('value');
  assert.ok(value, `${select} offers ${text}`);
  return value;
}

describe('browser: infoblocks admin', () => {
  const browser = useBrowser();

  describeEachDb('an administrator builds a catalogue and fills the element form', (kind) => {
    const portal = usePortal(kind);
    before(async function () {
      this.timeout(60_000);
      const kernel = portal().t.kernel;
      await kernel.modules.install('infoblocks');
      const api = kernel.api('infoblocks');
      const type = await api.iblocks.addType(ROOT, { code: 'directories', names: { en: 'Directories', ru: 'Справочники' } });
      const brands = await api.iblocks.add(ROOT, { typeId: type.id, code: 'brands', name: 'Brands' });
      await api.elements.add(ROOT, brands.id, { name: 'Lumina' });
      await api.elements.add(ROOT, brands.id, { name: 'Nordlicht' });
    });

    it('creates the infoblock, its properties and sections, saves an element with every property type and finds it again', async function () {
      this.timeout(180_000);
      await withPage(
        browser(),
        portal().url,
        async (page) => {
          await signInThroughForm(page, ADMIN.login, ADMIN.password, '/admin/infoblocks/types/');
          assert.ok(await isStyled(page));

          // A type, through its form.
          await page.locator('#code').fill('content');
          await page.locator('#nameEn').fill('Content');
          await page.locator('#nameRu').fill('Контент');
          await clickAndLoad(page, submitButton(page, 'Add a type'));
          await page.getByRole('status').filter({ hasText: 'Created.' }).waitFor();
          await shot(page, 'infoblocks-admin-types');

          // The infoblock.
          await page.goto('/admin/infoblocks/new/');
          await page.locator('#typeId').selectOption({ label: 'Content' });
          await page.locator('#code').fill('catalog');
          await page.locator('#name').fill('Catalogue');
          await page.locator('#detailUrl').fill('#SITE_DIR#/catalog/#ELEMENT_CODE#/');
          await page.locator('#description').fill('Lamps and furniture');
          await shot(page, 'infoblocks-admin-iblock-form');
          await clickAndLoad(page, submitButton(page, 'Create the infoblock'));
          assert.match(new URL(page.url()).pathname, /^\/admin\/infoblocks\/\d+\/properties\/$/);
          const ib = Number(/infoblocks\/(\d+)\//.exec(page.url())![1]);

          // Sections first, so the section link has something to point at.
          for (const [name, code, parent] of [['Lamps', 'lamps', ''], ['Desk lamps', 'desk', 'Lamps'], ['Chairs', 'chairs', '']]) {
            await page.goto(`/admin/infoblocks/${ib}/sections/new/`);
            await page.locator('#name').fill(name!);
            await page.locator('#code').fill(code!);
            if (parent) await page.locator('#parentId').selectOption(await optionValue(page, '#parentId', parent));
            await clickAndLoad(page, submitButton(page, 'Add a section'));
          }
          assert.equal(await page.locator('.tree ul .iba-tree-name', { hasText: 'Desk lamps' }).count(), 1, 'Desk lamps is nested under Lamps');
          await shot(page, 'infoblocks-admin-sections');

          // One property of every type.
          for (const p of PROPERTIES) {
            await page.goto(`/admin/infoblocks/${ib}/properties/new/`);
            await page.locator('#type').selectOption(p.type);
            await page.locator('#code').fill(p.code);
            await page.locator('#name').fill(p.name);
            if ('multiple' in p && p.multiple) await page.locator('input[name="multiple"]').check();
            if ('required' in p && p.required) await page.locator('input[name="required"]').check();
            if ('filterable' in p && p.filterable) await page.locator('input[name="filterable"]').check();
            if ('link' in p) await page.locator('#linkIblockId').selectOption({ label: p.link });
            if ('enums' in p) {
              assert.ok(await page.locator('[data-ib-enums]').isVisible(), 'the value editor shows for lists');
              for (const [i, value] of p.enums.entries()) await page.locator(`input[name="enum_${i}_value"]`).fill(value);
              await shot(page, 'infoblocks-admin-property-form');
            } else {
              assert.equal(await page.locator('[data-ib-enums]').isVisible(), false, 'and hides for other types');
            }
            await clickAndLoad(page, submitButton(page, 'Add a property'));
            await page.getByRole('status').filter({ hasText: 'Created.' }).waitFor();
          }
          assert.equal(await page.locator('.admin-main tbody tr').count(), PROPERTIES.length);
          await shot(page, 'infoblocks-admin-properties');
          await page.goto('/admin/infoblocks/');
          assert.equal(await page.locator('tbody tr', { hasText: 'Catalogue' }).count(), 1);
          await shot(page, 'infoblocks-admin-iblocks');

          // The element form, every type.
          await page.goto(`/admin/infoblocks/${ib}/elements/new/`);
          await page.locator('#name').fill('Desk lamp «Aurora»');
          await page.locator('#code').fill('aurora');
          await page.locator('#activeFrom').fill('2026-03-01T09:00');
          await page.locator('#tags').fill('light, desk');
          await page.locator('#sections').selectOption([await optionValue(page, '#sections', 'Lamps'), await optionValue(page, '#sections', 'Desk lamps')]);
          await page.locator('#prop-SUBTITLE').fill('Warm light for long evenings');
          await page.locator('#prop-PRICE').fill('129.9');
          await page.getByLabel('Red', { exact: true }).check();
          await page.getByLabel('Blue', { exact: true }).check();
          await page.locator('#prop-MANUAL').setInputFiles([
            { name: 'manual.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 aurora manual') },
            { name: 'care.txt', mimeType: 'text/plain', buffer: Buffer.from('Dust with a dry cloth.') },
          ]);
          await page.locator('#prop-BRAND').selectOption(await optionValue(page, '#prop-BRAND', 'Nordlicht'));
          await page.locator('#prop-SHELF').selectOption(await optionValue(page, '#prop-SHELF', 'Desk lamps'));
          await page.locator('#prop-RELEASED').fill('2026-01-31');
          await page.locator('#prop-CHECKED_AT').fill('2026-02-01T10:30');
          await page.locator('#prop-NOTES').fill('<p><b>Dimmable</b></p><script>alert(1)</script>');
          await page.locator('#prop-OWNER').fill(EMPLOYEE.login);
          const keywords = page.locator('input[name="prop_KEYWORDS"]');
          await keywords.nth(0).fill('lamp');
          await keywords.nth(1).fill('aurora');
          await page.getByRole('button', { name: '+ Add another' }).click();
          assert.equal(await keywords.count(), 3, 'the script adds an input');
          await keywords.nth(2).fill('warm');
          await page.locator('#previewText').fill('A warm desk lamp.');
          await page.locator('#detailText').fill('<p>Made of <em>brass</em>.</p>');
          await page.locator('input[name="detailTextType"][value="html"]').check();
          await page.locator('#previewPicture').setInputFiles({ name: 'aurora.png', mimeType: 'image/png', buffer: PNG });
          await shot(page, 'infoblocks-admin-element-form');
          await clickAndLoad(page, submitButton(page, 'Add an element'));
          await page.getByRole('status').filter({ hasText: 'Created.' }).waitFor();

          // The values come back in the form.
          assert.equal(await page.locator('#name').inputValue(), 'Desk lamp «Aurora»');
          assert.equal(await page.locator('#activeFrom').inputValue(), '2026-03-01T09:00');
          assert.equal(await page.locator('#prop-PRICE').inputValue(), '129.9');
          assert.ok(await page.getByLabel('Red', { exact: true }).isChecked());
          assert.ok(await page.getByLabel('Blue', { exact: true }).isChecked());
          assert.equal(await page.getByLabel('Green', { exact: true }).isChecked(), false);
          assert.match(await page.locator('#prop-BRAND option:checked').innerText(), /Nordlicht/);
          assert.match(await page.locator('#prop-SHELF option:checked').innerText(), /Desk lamps/);
          assert.equal(await page.locator('#prop-RELEASED').inputValue(), '2026-01-31');
          assert.equal(await page.locator('#prop-CHECKED_AT').inputValue(), '2026-02-01T10:30');
          assert.equal(await page.locator('#prop-OWNER').inputValue(), EMPLOYEE.login);
          assert.deepEqual((await keywords.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).slice(0, 3), ['lamp', 'aurora', 'warm']);
          assert.doesNotMatch(await page.locator('#prop-NOTES').inputValue(), /script/, 'HTML was sanitized');
          assert.equal(await page.locator('.iba-files a', { hasText: 'manual.pdf' }).count(), 1);
          assert.equal(await page.locator('.iba-files a', { hasText: 'care.txt' }).count(), 1);
          await page.waitForFunction(() => {
            const img = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('img.iba-thumb');
            return !!img && img.complete && img.naturalWidth === 64;
          }, undefined, { timeout: 5000 });
          const manualHref = await page.locator('.iba-files a', { hasText: 'manual.pdf' }).getAttribute('href');
          const download = await page.request.get(manualHref!);
          assert.equal(await download.text(), '%PDF-1.4 aurora manual', 'the uploaded file is served back');
          await shot(page, 'infoblocks-admin-element-saved');

          // A readable error for a value only the server can judge; what was typed stays.
          await page.locator('#prop-OWNER').fill('nobody.here');
          await page.locator('#prop-PRICE').fill('99');
          const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submitButton(page, 'Save').click()]);
          assert.equal(res.status(), 400);
          const alert = page.getByRole('alert');
          await alert.waitFor();
          assert.match(await alert.innerText(), /Owner \(OWNER\): there is no user with the login "nobody\.here"/);
          assert.equal(await page.locator('#prop-OWNER').getAttribute('aria-invalid'), 'true');
          assert.equal(await page.locator('#prop-PRICE').inputValue(), '99');
          await shot(page, 'infoblocks-admin-element-error');

          // The list: values in their columns, filter, sort by a header, bulk action.
          await page.goto(`/admin/infoblocks/${ib}/elements/`);
          await page.getByRole('link', { name: 'Elements' }).first().waitFor();
          const row = page.locator('tbody tr', { hasText: 'Desk lamp «Aurora»' });
          for (const text of ['129.9', 'Red, Blue', 'manual.pdf', 'care.txt', '2026-01-31', '1 Feb 2026, 10:30:00', EMPLOYEE.login, 'lamp, aurora, warm']) {
            assert.ok((await row.innerText()).includes(text), `the list shows ${text}`);
          }
          await shot(page, 'infoblocks-admin-elements');
          await page.locator('input[name="f_PRICE_from"]').fill('100');
          await clickAndLoad(page, page.getByRole('button', { name: 'Filter' }));
          assert.equal(await page.locator('tbody tr').count(), 1);
          await page.locator('input[name="f_PRICE_from"]').fill('200');
          await clickAndLoad(page, page.getByRole('button', { name: 'Filter' }));
          assert.equal(await page.locator('tbody tr').count(), 0);
          await clickAndLoad(page, page.getByRole('link', { name: 'Reset the filter' }).first());
          await clickAndLoad(page, page.locator('th a.iba-sort-link', { hasText: 'Name' }));
          assert.equal(await page.locator('th[aria-sort="ascending"]', { hasText: 'Name' }).count(), 1);
          await page.locator('th.iba-check-col input[type="checkbox"]').check();
          assert.ok(await page.locator('input[name="ids"]').first().isChecked(), '"select all" ticks the rows');
          await clickAndLoad(page, page.getByRole('button', { name: 'Deactivate' }));
          await page.getByRole('status').filter({ hasText: 'The elements are inactive.' }).waitFor();
          assert.match(await page.locator('tbody tr').first().innerText(), /\bNo\b/);
          await page.locator('input[name="ids"]').first().check();
          await clickAndLoad(page, page.getByRole('button', { name: 'Delete' }).last());
          await page.getByRole('heading', { name: 'Delete the checked elements?' }).waitFor();
          await shot(page, 'infoblocks-admin-bulk-delete');
          await clickAndLoad(page, page.getByRole('link', { name: 'Cancel' }));
          assert.equal(await page.locator('tbody tr').count(), 1, 'cancel keeps the element');

          // A phone screen: the wide list scrolls inside its frame, the page itself does not.
          await page.setViewportSize({ width: 390, height: 844 });
          for (const [path, name] of [[`/admin/infoblocks/${ib}/elements/`, 'elements'], [await page.locator('tbody tr a').first().getAttribute('href'), 'element-form']] as const) {
            await page.goto(path!);
            const overflow = await page.evaluate(() => {
              const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
              return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
            });
            await shot(page, `infoblocks-admin-${name}-mobile`);
            assert.ok(overflow <= 0, `${path} overflows a 390 px screen by ${overflow} px`);
          }
        },
        { allowConsole: [/status of 400 \(Bad Request\) \(http:\/\/[^/]+\/admin\/infoblocks\/\d+\/elements\/\d+\/\)$/] },
      );
    });
  });
});
