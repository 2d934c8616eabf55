-- Second, independent LSP client: headless Neovim (Debian's 0.7.2) opens FILE, starts `NODE SERVER --stdio`, waits
-- for the server's first publishDiagnostics for that file and prints each diagnostic on one line:
--   path:line:col: message [source] code=<code> severity=<n>
-- Exit status 0 = diagnostics were published (possibly an empty list), 1 = timeout, server exit or error.
-- env: SERVER (required), FILE (required), NODE (default node), NVIM_TIMEOUT_MS (default 15000),
--      MIN_DIAGNOSTICS (default 0: wait until a publication carries at least this many).
-- vim.lsp.start arrived in 0.8, hence start_client + buf_attach_client.
local function main()
  local server, file = os.getenv('SERVER'), os.getenv('FILE')
  assert(server and file, 'SERVER and FILE must be set')
  local timeout = tonumber(os.getenv('NVIM_TIMEOUT_MS') or '15000')
  local min = tonumber(os.getenv('MIN_DIAGNOSTICS') or '0')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'yaml'
  local uri = vim.uri_from_bufnr(buf)

  local published, exited = false, nil
  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  local client_id = vim.lsp.start_client({
    name = 'e2e-lsp',
    cmd = { os.getenv('NODE') or 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        publish(err, result, ctx, config)   -- stores them in vim.diagnostic
        if result and result.uri == uri and #result.diagnostics >= min then published = true end
      end,
    },
    on_exit = function(code, signal) exited = string.format('code %s, signal %s', code, signal) end,
  })
  assert(client_id, 'could not start ' .. server)
  vim.lsp.buf_attach_client(buf, client_id)

  vim.wait(timeout, function() return published or exited ~= nil end, 20)
  local diags = vim.diagnostic.get(buf)
  table.sort(diags, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(diags) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local code = d.code or lsp.code
    io.stdout:write(string.format('%s:%d:%d: %s [%s] code=%s severity=%d\n', file, d.lnum + 1, d.col + 1,
      (d.message:gsub('\r?\n', ' ')), d.source or '?', code == nil and '-' or tostring(code), d.severity))
  end
  if not published then
    io.stderr:write(exited and ('server exited (' .. exited .. ')\n')
      or string.format('no diagnostics published within %d ms\n', timeout))
  end
  vim.lsp.stop_client(client_id)
  return published
end

local ok, res = pcall(main)
if not ok then io.stderr:write('nvim-lsp.lua: ' .. tostring(res) .. '\n') end
io.stdout:flush()
vim.cmd((ok and res) and 'qa!' or 'cq')   -- an uncaught error would leave headless nvim running
