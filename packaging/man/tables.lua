-- A man page is narrow, and tbl cannot break a wide table: each table row becomes a definition-list item, the
-- first cell the term and every other non-empty cell a paragraph led by its column's heading.
function Table(tbl)
  local heads = {}
  if tbl.head and #tbl.head.rows > 0 then
    for i, cell in ipairs(tbl.head.rows[1].cells) do
      heads[i] = pandoc.utils.stringify(cell.contents)
    end
  end

  local items = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local blocks = {}
      for i = 2, #row.cells do
        local text = pandoc.utils.stringify(row.cells[i].contents)
        if text ~= "" and text ~= "—" then
          local inlines = {}
          if heads[i] and heads[i] ~= "" then
            inlines = { pandoc.Emph(heads[i] .. ":"), pandoc.Space() }
          end
          for _, inline in ipairs(pandoc.utils.blocks_to_inlines(row.cells[i].contents)) do
            table.insert(inlines, inline)
          end
          table.insert(blocks, pandoc.Para(inlines))
        end
      end
      table.insert(items, { pandoc.utils.blocks_to_inlines(row.cells[1].contents), { blocks } })
    end
  end

  return pandoc.DefinitionList(items)
end
