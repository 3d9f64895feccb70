# The gateway's admin API from shell, with curl alone. The gateway answers compact JSON whose items start with their
# "id" (and then "name", for sources and configs), in record order: that is all the parsing below relies on.
# Sourced by the scripts; the caller sets API (http://host:port/api/v1) and API_KEY (an admin key).

api() { curl -sS --fail-with-body -H "Authorization: Api-Key $API_KEY" -H 'Content-Type: application/json' "$@"; }

api_create() { # list path, JSON body -> the id of the created item
  local answer
  answer=$(api -X POST "$API/$1" -d "$2") || { echo "$answer" >&2; return 1; }
  printf '%s' "$answer" | sed -n 's/^{"id":\([0-9]*\).*/\1/p'
}

find_id() { # list path, name -> the id of the item of that name, or nothing
  api "$API/$1?size=500" | sed 's/{"id":/\n&/g' | sed -n "s/^{\"id\":\([0-9]*\),\"name\":\"$2\".*/\1/p"
}

json_values() { # field -> the value of each occurrence of "field" in the JSON on stdin, one a line (numbers and
  # strings without quotes or escapes inside)
  sed "s/\"$1\":/\n&/g" | sed -n "s/^\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}
