<section class="card">
  <h2 class="card-title"><%= it.result.heading %></h2>
  <% if (it.result.userName) { %><p><%= it.result.userName %></p><% } %>
  <% if (it.result.site) { %><p class="muted"><%= it.result.site %></p><% } %>
</section>
