import { defineMigration } from '../../../core/modules/types.js';

/**
 * Fixed tables of the infoblocks module. Property values live in per-infoblock tables
 * (infoblocks_p<ID>_s single values, infoblocks_p<ID>_m multiple values) created by the API.
 */
export default defineMigration({
  name: '2026-12-01-01-create-infoblocks',
  async up(db) {
    await db.schema.createTable(db.table('types'), (t) => {
      t.increments('id');
      t.string('code', 50).notNullable().unique();
      t.text('names').notNullable(); // JSON { en, ru }
      t.integer('sort').notNullable().defaultTo(500);
      t.boolean('sections').notNullable().defaultTo(true);
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable(db.table('iblocks'), (t) => {
      t.increments('id');
      t.integer('type_id').notNullable().index();
      t.string('code', 50).notNullable().unique();
      t.string('name', 255).notNullable();
      t.string('site_id', 32).nullable();
      t.integer('sort').notNullable().defaultTo(500);
      t.boolean('active').notNullable().defaultTo(true);
      t.string('list_url', 255).notNullable().defaultTo('');
      t.string('detail_url', 255).notNullable().defaultTo('');
      t.string('section_url', 255).notNullable().defaultTo('');
      t.boolean('sections_enabled').notNullable().defaultTo(true);
      t.boolean('workflow').notNullable().defaultTo(false);
      t.string('description', 2000).notNullable().defaultTo('');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('modified_at').notNullable();
    });
    await db.schema.createTable(db.table('rights'), (t) => {
      t.integer('iblock_id').notNullable();
      t.integer('group_id').notNullable();
      t.string('level', 1).notNullable();
      t.primary(['iblock_id', 'group_id']);
    });
    await db.schema.createTable(db.table('sections'), (t) => {
      t.increments('id');
      t.integer('iblock_id').notNullable();
      t.integer('parent_id').nullable().index();
      t.string('name', 255).notNullable();
      t.string('code', 100).notNullable().defaultTo('');
      t.string('xml_id', 100).nullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.integer('sort').notNullable().defaultTo(500);
      // Materialized path of ids, "/3/17/42/": subtree = one index range scan.
      t.string('path', 255).notNullable();
      t.integer('depth').notNullable();
      t.string('code_path', 1000).notNullable().defaultTo('');
      t.string('description', 4000).notNullable().defaultTo('');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('modified_at').notNullable();
      t.index(['iblock_id', 'path']);
      t.index(['iblock_id', 'parent_id', 'sort']);
      t.index(['iblock_id', 'code']);
      t.index(['iblock_id', 'xml_id']);
    });
    await db.schema.createTable(db.table('elements'), (t) => {
      t.increments('id');
      t.integer('iblock_id').notNullable();
      t.string('name', 255).notNullable();
      t.string('code', 255).notNullable().defaultTo('');
      t.string('xml_id', 255).nullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.bigInteger('active_from').nullable();
      t.bigInteger('active_to').nullable();
      t.integer('sort').notNullable().defaultTo(500);
      t.text('preview_text').notNullable();
      t.string('preview_text_type', 4).notNullable().defaultTo('text');
      t.text('detail_text').notNullable();
      t.string('detail_text_type', 4).notNullable().defaultTo('text');
      t.integer('preview_picture').nullable();
      t.integer('detail_picture').nullable();
      t.string('tags', 1000).notNullable().defaultTo('');
      t.integer('created_by').nullable();
      t.integer('modified_by').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('modified_at').notNullable();
      t.index(['iblock_id', 'code']);
      t.index(['iblock_id', 'xml_id']);
      t.index(['iblock_id', 'active', 'sort']);
      t.index(['iblock_id', 'created_at']);
    });
    await db.schema.createTable(db.table('element_sections'), (t) => {
      t.integer('element_id').notNullable();
      t.integer('section_id').notNullable();
      t.primary(['element_id', 'section_id']);
      t.index(['section_id', 'element_id']);
    });
    await db.schema.createTable(db.table('properties'), (t) => {
      t.increments('id');
      t.integer('iblock_id').notNullable().index();
      t.string('code', 50).notNullable();
      t.string('name', 255).notNullable();
      t.string('type', 16).notNullable();
      t.boolean('multiple').notNullable().defaultTo(false);
      t.boolean('required').notNullable().defaultTo(false);
      t.boolean('searchable').notNullable().defaultTo(false);
      t.boolean('filterable').notNullable().defaultTo(false);
      t.text('default_value').nullable(); // JSON
      t.integer('link_iblock_id').nullable();
      t.integer('sort').notNullable().defaultTo(500);
      t.string('xml_id', 100).nullable();
      t.bigInteger('created_at').notNullable();
      t.unique(['iblock_id', 'code']);
    });
    await db.schema.createTable(db.table('property_enums'), (t) => {
      t.increments('id');
      t.integer('property_id').notNullable().index();
      t.string('value', 255).notNullable();
      t.string('xml_id', 100).notNullable();
      t.integer('sort').notNullable().defaultTo(500);
      t.boolean('is_default').notNullable().defaultTo(false);
    });
  },
  async down(db) {
    for (const name of ['property_enums', 'properties', 'element_sections', 'elements', 'sections', 'rights', 'iblocks', 'types']) {
      await db.schema.dropTableIfExists(db.table(name));
    }
  },
});
