<section class="card" aria-labelledby="__ID__-title">
  <h2 id="__ID__-title" class="card-title"><%= it.t('TITLE') %></h2>
  <%~ it.flash %>
  <% if (it.result.items.length) { %>
  <ul>
    <% it.result.items.forEach(function (item) { %><li><%= item.title %></li><% }) %>
  </ul>
  <% } else { %>
  <p class="muted"><%= it.t('EMPTY') %></p>
  <% } %>
  <% if (it.result.canAdd) { %>
  <form method="post" action="/__ID__/" class="inline-form">
    <%~ it.csrfField %>
    <label for="__ID__-item-title"><%= it.t('ITEM_TITLE') %></label>
    <input type="text" id="__ID__-item-title" name="title" maxlength="255" required>
    <button type="submit" class="btn"><%= it.t('ADD') %></button>
  </form>
  <% } %>
</section>
